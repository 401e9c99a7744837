{{/*
Expand the name of the chart.
*/}}
{{- define "meridian.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Create a default fully qualified app name.
We truncate at 63 chars because some Kubernetes name fields are limited to this (by the DNS naming spec).
If release name contains chart name it will be used as a full name.
*/}}
{{- define "meridian.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Create chart name and version as used by the chart label.
*/}}
{{- define "meridian.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels
*/}}
{{- define "meridian.labels" -}}
helm.sh/chart: {{ include "meridian.chart" . }}
{{ include "meridian.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels
*/}}
{{- define "meridian.selectorLabels" -}}
app.kubernetes.io/name: {{ include "meridian.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Create the name of the service account to use
*/}}
{{- define "meridian.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "meridian.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Name of the headless Service the nodes reach each other's remoting and management ports through;
shortened so that the suffix keeps it within 63 characters.
*/}}
{{- define "meridian.headlessName" -}}
{{- printf "%s-headless" (include "meridian.fullname" . | trunc 54 | trimSuffix "-") }}
{{- end }}

{{/*
Name of the Secret holding the admin token: the chart's, or the one the operator manages
(existingSecret).
*/}}
{{- define "meridian.secretName" -}}
{{- default (include "meridian.fullname" .) .Values.existingSecret }}
{{- end }}

{{/*
Name of the Secret holding the Cassandra password: the chart's, or existingSecret.
*/}}
{{- define "meridian.cassandraSecretName" -}}
{{- if .Values.existingSecret }}
{{- .Values.existingSecret }}
{{- else }}
{{- printf "%s-cassandra" (include "meridian.fullname" . | trunc 53 | trimSuffix "-") }}
{{- end }}
{{- end }}

{{/*
Pods Cluster Bootstrap must find before the first of them forms the cluster: the initial replica
count (the autoscaler's minimum when it is on), unless set.
*/}}
{{- define "meridian.requiredContactPoints" -}}
{{- if .Values.cluster.requiredContactPoints }}
{{- .Values.cluster.requiredContactPoints }}
{{- else if .Values.autoscaling.enabled }}
{{- .Values.autoscaling.minReplicas }}
{{- else }}
{{- .Values.replicaCount }}
{{- end }}
{{- end }}

{{/*
The Kubernetes API label selector of this release's pods (its selector labels), for discovery.
*/}}
{{- define "meridian.podLabelSelector" -}}
{{- $labels := list }}
{{- range $line := splitList "\n" (include "meridian.selectorLabels" .) }}
{{- $pair := splitList ": " $line }}
{{- $labels = append $labels (printf "%s=%s" (index $pair 0) (index $pair 1)) }}
{{- end }}
{{- join "," $labels }}
{{- end }}

{{/*
The admin token given in values (checked), or a new random one.
*/}}
{{- define "meridian.adminToken" -}}
{{- if .Values.auth.adminToken }}
{{- if lt (len .Values.auth.adminToken) 32 }}
{{- fail "auth.adminToken must be at least 32 characters" }}
{{- end }}
{{- .Values.auth.adminToken }}
{{- else }}
{{- randAlphaNum 48 }}
{{- end }}
{{- end }}
