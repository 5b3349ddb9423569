{{/* Every object is named after the release, so two releases never collide. */}}
{{- define "failover.fullname" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The labels the Deployment selects its pods by; never change them on a live release (selectors are immutable). */}}
{{- define "failover.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "failover.labels" -}}
{{ include "failover.selectorLabels" . }}
app.kubernetes.io/component: failover-controller
app.kubernetes.io/part-of: skyline
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* By digest when one is given: the node runs exactly the image that was reviewed, whatever the tag now points to. */}}
{{- define "failover.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end -}}
{{- end -}}

{{/* One probe, as an httpGet on the HTTP port. */}}
{{- define "failover.probe" -}}
httpGet:
  path: {{ .path }}
  port: http
periodSeconds: {{ .periodSeconds }}
timeoutSeconds: {{ .timeoutSeconds }}
failureThreshold: {{ .failureThreshold }}
{{- end -}}

{{/* Where the pod finds the Kubernetes API credentials client libraries look for. */}}
{{- define "failover.kubeApiPath" -}}
/var/run/secrets/kubernetes.io/serviceaccount
{{- end -}}

{{/* Checks the schema cannot express: they relate the chart's values to the controller's config. */}}
{{- define "failover.validate" -}}
{{- $server := .Values.config.server | default dict -}}
{{- $port := $server.port | default 9464 -}}
{{- if ne (int $port) (int .Values.http.port) -}}
{{- fail (printf "config.server.port (%v) differs from http.port (%v): the probes, the Service and the peers use http.port; set both alike" $port .Values.http.port) -}}
{{- end -}}
{{- $election := .Values.config.leaderElection | default (dict "kind" "single") -}}
{{- if .Values.leaderElection.enabled -}}
{{- if ne $election.kind "kubernetes-lease" -}}
{{- fail (printf "leaderElection.enabled is true but config.leaderElection.kind is %q: set it to kubernetes-lease, or with %v replicas every one would write" $election.kind .Values.replicas) -}}
{{- end -}}
{{- if ne ($election.leaseName | default "skyline-failover") .Values.leaderElection.leaseName -}}
{{- fail (printf "config.leaderElection.leaseName (%v) differs from leaderElection.leaseName (%v): the Role grants only the latter" ($election.leaseName | default "skyline-failover") .Values.leaderElection.leaseName) -}}
{{- end -}}
{{- if ne ($election.namespace | default "") .Release.Namespace -}}
{{- fail (printf "config.leaderElection.namespace (%v) is not the release namespace (%v), where the Role grants the Lease" ($election.namespace | default "") .Release.Namespace) -}}
{{- end -}}
{{- else if gt (int .Values.replicas) 1 -}}
{{- fail (printf "replicas is %v without leader election: only one instance per cluster may write; enable leaderElection or run 1 replica" .Values.replicas) -}}
{{- end -}}
{{- end -}}
