{{/* Every object is named after the release, so two releases never collide. */}}
{{- define "cost-analyzer.fullname" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The labels the Deployment selects its pods by; never change them on a live release (selectors are immutable). */}}
{{- define "cost-analyzer.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "cost-analyzer.labels" -}}
{{ include "cost-analyzer.selectorLabels" . }}
app.kubernetes.io/component: cost-analyzer
app.kubernetes.io/part-of: skyline
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* By digest when one is given: the node runs exactly the image that was reviewed, whatever the tag now points to. */}}
{{- define "cost-analyzer.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end -}}
{{- end -}}

{{/* One probe, as an httpGet on the HTTP port. */}}
{{- define "cost-analyzer.probe" -}}
httpGet:
  path: {{ .path }}
  port: http
periodSeconds: {{ .periodSeconds }}
timeoutSeconds: {{ .timeoutSeconds }}
failureThreshold: {{ .failureThreshold }}
{{- end -}}

{{/* Where the analyzer reads its config, and Google's client libraries their credential configuration. */}}
{{- define "cost-analyzer.configDir" -}}/etc/skyline/cost-analyzer{{- end -}}
{{- define "cost-analyzer.gcpCredentialsDir" -}}/etc/skyline/gcp{{- end -}}

{{/*
Google's external-account credential configuration (Workload Identity Federation): Google STS exchanges the pod's
projected token, issued for the pool provider's audience, then impersonates the Google service account. No key.
*/}}
{{- define "cost-analyzer.gcpCredentialConfig" -}}
{{- $gcp := .Values.gcpWorkloadIdentity -}}
{{- dict
  "type" "external_account"
  "audience" $gcp.audience
  "subject_token_type" "urn:ietf:params:oauth:token-type:jwt"
  "token_url" "https://sts.googleapis.com/v1/token"
  "service_account_impersonation_url" (printf "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/%s:generateAccessToken" $gcp.serviceAccountEmail)
  "credential_source" (dict "file" (printf "%s/token" $gcp.tokenMountPath) "format" (dict "type" "text"))
  | toPrettyJson -}}
{{- end -}}

{{/* Checks the schema cannot express: they relate the chart's values to the analyzer's config. */}}
{{- define "cost-analyzer.validate" -}}
{{- $server := .Values.config.server | default dict -}}
{{- $port := $server.port | default 9464 -}}
{{- if ne (int $port) (int .Values.http.port) -}}
{{- fail (printf "config.server.port (%v) differs from http.port (%v): the probes, the Service and Prometheus use http.port; set both alike" $port .Values.http.port) -}}
{{- end -}}
{{- range $index, $source := .Values.config.sources -}}
{{- if and (eq $source.kind "bigquery") (not $.Values.gcpWorkloadIdentity.enabled) -}}
{{- fail (printf "config.sources[%d] reads BigQuery but gcpWorkloadIdentity.enabled is false: outside GKE the analyzer has no Google credentials without it" $index) -}}
{{- end -}}
{{- if and (eq $source.kind "azure-blob") (not $.Values.azureWorkloadIdentity.enabled) -}}
{{- fail (printf "config.sources[%d] reads Azure Blob but azureWorkloadIdentity.enabled is false: outside AKS the analyzer has no Entra ID credentials without it" $index) -}}
{{- end -}}
{{- end -}}
{{- end -}}
