{{/* Every object is named after the release, so two releases never collide. */}}
{{- define "model-serving.fullname" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The labels the Deployment selects its pods by; never change them on a live release (selectors are immutable). */}}
{{- define "model-serving.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "model-serving.labels" -}}
{{ include "model-serving.selectorLabels" . }}
app.kubernetes.io/component: inference
app.kubernetes.io/part-of: skyline
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* By digest when one is given: the node runs exactly the image that was reviewed, whatever the tag now points to. */}}
{{- define "model-serving.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end -}}
{{- end -}}

{{/* One probe, as an httpGet on the HTTP port. */}}
{{- define "model-serving.probe" -}}
httpGet:
  path: {{ .path }}
  port: http
periodSeconds: {{ .periodSeconds }}
timeoutSeconds: {{ .timeoutSeconds }}
failureThreshold: {{ .failureThreshold }}
{{- end -}}

{{/* Checks the schema cannot express: it validates each value alone. */}}
{{- define "model-serving.validate" -}}
{{- if eq (int .Values.http.port) (int .Values.metrics.port) -}}
{{- fail (printf "http.port and metrics.port are both %v: give metrics its own port, so the NetworkPolicy opens it to the monitoring namespace alone" .Values.http.port) -}}
{{- end -}}
{{- if gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas) -}}
{{- fail (printf "autoscaling.minReplicas (%v) is greater than autoscaling.maxReplicas (%v)" .Values.autoscaling.minReplicas .Values.autoscaling.maxReplicas) -}}
{{- end -}}
{{- end -}}
