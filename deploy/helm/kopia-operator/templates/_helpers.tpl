{{/* The base name of every object; fullnameOverride renames them all (two installs per cluster). */}}
{{- define "kko.name" -}}
{{- .Values.fullnameOverride | default "kopia-operator" | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{/* The operator namespace: operatorNamespace, else the release namespace. */}}
{{- define "kko.namespace" -}}
{{- .Values.operatorNamespace | default .Release.Namespace -}}
{{- end -}}

{{- define "kko.labels" -}}
app.kubernetes.io/name: kopia-operator
{{- end -}}

{{- define "kko.scope" -}}
{{- if not (has .Values.scope (list "global" "namespace")) -}}
{{- fail (printf "scope must be global or namespace, not %q" .Values.scope) -}}
{{- end -}}
{{- .Values.scope -}}
{{- end -}}
