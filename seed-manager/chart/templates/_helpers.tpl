{{/* The name every object of this release carries: the release name, cut to DNS label length. */}}
{{- define "seed-manager.fullname" -}}
{{- printf "%s-seed-manager" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "seed-manager.selectorLabels" -}}
app.kubernetes.io/name: edgeplane-seed-manager
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "seed-manager.labels" -}}
{{ include "seed-manager.selectorLabels" . }}
app.kubernetes.io/part-of: edgeplane
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}
