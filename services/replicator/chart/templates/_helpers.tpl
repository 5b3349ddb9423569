{{/* Every object is named after the release, so two releases never collide. */}}
{{- define "replicator.fullname" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The labels the Deployment selects its pods by; never change them on a live release (selectors are immutable). */}}
{{- define "replicator.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "replicator.labels" -}}
{{ include "replicator.selectorLabels" . }}
app.kubernetes.io/component: model-replicator
app.kubernetes.io/part-of: skyline
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* By digest when one is given: the node runs exactly the image that was reviewed, whatever the tag now points to. */}}
{{- define "replicator.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end -}}
{{- end -}}

{{/* One probe, as an httpGet on the HTTP port. */}}
{{- define "replicator.probe" -}}
httpGet:
  path: {{ .path }}
  port: http
periodSeconds: {{ .periodSeconds }}
timeoutSeconds: {{ .timeoutSeconds }}
failureThreshold: {{ .failureThreshold }}
{{- end -}}

{{/* Where GOOGLE_APPLICATION_CREDENTIALS points: the external-account file of the ConfigMap. */}}
{{- define "replicator.gcpCredentialsDir" -}}
/etc/skyline/gcp
{{- end -}}

{{/*
The external-account credential configuration google-auth-library reads: exchange the projected token at Google
STS (audience: the federation provider), then impersonate the Google service account.
*/}}
{{- define "replicator.gcpCredentials" -}}
{{- $federation := .Values.gcpFederation -}}
{{- dict
  "type" "external_account"
  "universe_domain" "googleapis.com"
  "audience" $federation.audience
  "subject_token_type" "urn:ietf:params:oauth:token-type:jwt"
  "token_url" "https://sts.googleapis.com/v1/token"
  "credential_source" (dict "file" (printf "%s/token" $federation.mountPath) "format" (dict "type" "text"))
  "service_account_impersonation_url" (printf "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/%s:generateAccessToken" $federation.serviceAccountEmail)
  | toPrettyJson -}}
{{- end -}}

{{/* Checks the schema cannot express: they relate the chart's values to the replicator's config. */}}
{{- define "replicator.validate" -}}
{{- if ne .Values.config.mode "replicate" -}}
{{- fail (printf "config.mode is %q: this chart runs the replicator in replicate mode; the sync mode runs as the model-serving chart's sidecar" .Values.config.mode) -}}
{{- end -}}
{{- $server := .Values.config.server | default dict -}}
{{- $port := $server.port | default 9464 -}}
{{- if ne (int $port) (int .Values.http.port) -}}
{{- fail (printf "config.server.port (%v) differs from http.port (%v): the probes, the Service and the ServiceMonitor use http.port; set both alike" $port .Values.http.port) -}}
{{- end -}}
{{- end -}}
