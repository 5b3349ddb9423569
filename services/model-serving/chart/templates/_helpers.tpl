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

{{/* The model sync sidecar's image: the replicator's, by digest when one is given. */}}
{{- define "model-serving.syncImage" -}}
{{- with .Values.modelSync.image -}}
{{- if .digest -}}
{{ .repository }}@{{ .digest }}
{{- else -}}
{{ .repository }}:{{ .tag }}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* One probe of the sync sidecar, on its own port. */}}
{{- define "model-serving.syncProbe" -}}
httpGet:
  path: {{ .path }}
  port: model-sync
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
{{- if .Values.modelSync.enabled -}}
{{- $sync := .Values.modelSync -}}
{{- if has (int $sync.port) (list (int .Values.http.port) (int .Values.metrics.port)) -}}
{{- fail (printf "modelSync.port (%v) is also the server's http.port or metrics.port: the two containers share the pod's network; give the sidecar its own port" $sync.port) -}}
{{- end -}}
{{- $server := $sync.config.server | default dict -}}
{{- if ne (int ($server.port | default 9464)) (int $sync.port) -}}
{{- fail (printf "modelSync.config.server.port (%v) differs from modelSync.port (%v): the probes and the scrape use modelSync.port; set both alike" ($server.port | default 9464) $sync.port) -}}
{{- end -}}
{{- if ne (trimSuffix "/" $sync.config.directory) (trimSuffix "/" .Values.volumes.models.mountPath) -}}
{{- fail (printf "modelSync.config.directory (%v) is not volumes.models.mountPath (%v): the sidecar would write where the server does not read" $sync.config.directory .Values.volumes.models.mountPath) -}}
{{- end -}}
{{- if and (eq $sync.config.signal.kind "file") (not (hasPrefix (printf "%s/" (trimSuffix "/" .Values.volumes.models.mountPath)) $sync.config.signal.path)) -}}
{{- fail (printf "modelSync.config.signal.path (%v) is outside volumes.models.mountPath (%v), the only path both containers see" $sync.config.signal.path .Values.volumes.models.mountPath) -}}
{{- end -}}
{{- end -}}
{{- end -}}
