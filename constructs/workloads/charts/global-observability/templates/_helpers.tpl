{{/* The pod security context every workload of the chart runs with (Pod Security "restricted"). */}}
{{- define "global-observability.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
fsGroup: {{ .Values.securityContext.runAsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Labels of every object. */}}
{{- define "global-observability.labels" -}}
app.kubernetes.io/part-of: skyline-observability
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{/* The Prometheus operator's labels on the pods of a Prometheus or an Alertmanager resource. */}}
{{- define "global-observability.prometheusPods" -}}
app.kubernetes.io/name: prometheus
prometheus: {{ .Values.prometheus.name }}
{{- end -}}
{{- define "global-observability.alertmanagerPods" -}}
app.kubernetes.io/name: alertmanager
alertmanager: {{ .Values.alertmanager.name }}
{{- end -}}
{{- define "global-observability.grafanaPods" -}}
app.kubernetes.io/name: grafana
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Grafana's provisioning files: the global datasource and the dashboard folder. */}}
{{- define "global-observability.grafanaProvisioning" -}}
datasources.yaml: |
  apiVersion: 1
  datasources:
    - name: Skyline global
      uid: {{ .Values.grafana.datasourceUid }}
      type: prometheus
      access: proxy
      url: http://{{ .Values.prometheus.name }}-prometheus.{{ .Release.Namespace }}.svc:9090
      isDefault: true
      editable: false
      jsonData:
        timeInterval: {{ .Values.prometheus.scrapeInterval }}
dashboards.yaml: |
  apiVersion: 1
  providers:
    - name: skyline
      folder: Skyline
      type: file
      disableDeletion: true
      allowUiUpdates: false
      options:
        path: /var/lib/grafana-dashboards
{{- end -}}
