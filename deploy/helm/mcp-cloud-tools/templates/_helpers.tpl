{{/* Chart name, truncated to the 63 characters of a label value. */}}
{{- define "mcp-cloud-tools.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Full name of the release's resources: <release>-<chart>, or <release> when it already contains the chart name. */}}
{{- define "mcp-cloud-tools.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels that select the release's pods (stable across upgrades). */}}
{{- define "mcp-cloud-tools.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mcp-cloud-tools.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels on every resource. */}}
{{- define "mcp-cloud-tools.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "mcp-cloud-tools.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: server
app.kubernetes.io/part-of: mcp-cloud-tools
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "mcp-cloud-tools.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "mcp-cloud-tools.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name: with serviceAccount.create=false, name the existing ServiceAccount the pods run as." .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "mcp-cloud-tools.authSecretName" -}}
{{- default (printf "%s-auth" (include "mcp-cloud-tools.fullname" .)) .Values.auth.existingSecret -}}
{{- end -}}

{{- define "mcp-cloud-tools.stateSecretName" -}}
{{- default (printf "%s-state" (include "mcp-cloud-tools.fullname" .)) .Values.state.existingSecret -}}
{{- end -}}

{{- define "mcp-cloud-tools.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/*
Refuses values that would deploy something broken, with a message naming the value and what to do. Included by the
Deployment so that `helm install` and `helm template` stop before anything is applied.
*/}}
{{- define "mcp-cloud-tools.validate" -}}
{{- $replicas := int .Values.replicaCount -}}
{{- $shared := and .Values.state.path (or (regexMatch "^(?i)postgres(ql)?://" .Values.state.path) (regexMatch "(?i)(^|;)\\s*(host|server)\\s*=" .Values.state.path)) -}}
{{- if and .Values.state.path (not $shared) (or (gt $replicas 1) .Values.autoscaling.enabled) -}}
{{- fail (printf "state.path=%q keeps the state of each replica to itself (in memory, or a file on its own volume), so replicas would disagree on plugins and clusters. With replicaCount %d or autoscaling, put a shared PostgreSQL connection in a Secret (state.existingSecret) or in state.path (postgres://user@host:5432/db, password from PGPASSWORD), or use replicaCount 1." .Values.state.path $replicas) -}}
{{- end -}}
{{- if and .Values.state.path .Values.state.connection -}}
{{- fail "state.path and state.connection are both set: choose one (state.connection goes into a Secret; state.path is a literal --state value for one replica)." -}}
{{- end -}}
{{- if not (has .Values.ingress.affinity (list "clientIP" "sessionHeader" "none")) -}}
{{- fail (printf "ingress.affinity=%q: use clientIP (default), sessionHeader or none." .Values.ingress.affinity) -}}
{{- end -}}
{{- if not (has (toString .Values.podAntiAffinity) (list "soft" "hard" "")) -}}
{{- fail (printf "podAntiAffinity=%q: use soft, hard or an empty string." (toString .Values.podAntiAffinity)) -}}
{{- end -}}
{{- if and .Values.autoscaling.enabled (lt (int .Values.autoscaling.maxReplicas) (int .Values.autoscaling.minReplicas)) -}}
{{- fail (printf "autoscaling.maxReplicas (%v) is below autoscaling.minReplicas (%v)." .Values.autoscaling.maxReplicas .Values.autoscaling.minReplicas) -}}
{{- end -}}
{{- $grace := int .Values.terminationGracePeriodSeconds -}}
{{- if or (lt $grace 2) (gt $grace 3610) -}}
{{- fail (printf "terminationGracePeriodSeconds=%v: use 2 to 3610 seconds (the server's --shutdown-timeout is derived from it and must stay below it, at most 3600)." .Values.terminationGracePeriodSeconds) -}}
{{- end -}}
{{- if has "--shutdown-timeout" .Values.server.extraArgs -}}
{{- fail "server.extraArgs: --shutdown-timeout is derived from terminationGracePeriodSeconds (10 s less); set that instead, so Kubernetes never kills calls the server is still finishing." -}}
{{- end -}}
{{- end -}}

{{/*
The server's --shutdown-timeout, from the one value terminationGracePeriodSeconds: 10 s less (half of it below 20 s),
so in-flight calls finish, listen streams close and the process exits before Kubernetes sends SIGKILL.
*/}}
{{- define "mcp-cloud-tools.shutdownTimeout" -}}
{{- $grace := int .Values.terminationGracePeriodSeconds -}}
{{- if ge $grace 20 -}}{{ sub $grace 10 }}{{- else -}}{{ div $grace 2 }}{{- end -}}
{{- end -}}
