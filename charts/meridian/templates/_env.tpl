{{/*
The node container's environment: the MERIDIAN_* variables the node's configuration reads
(docs/configuration.md). Secrets come from the Secret, never as values here.
*/}}
{{- define "meridian.env" -}}
- name: MERIDIAN_PROFILE
  value: {{ .Values.profile | quote }}
- name: MERIDIAN_AUTH_MODE
  value: {{ .Values.auth.mode | quote }}
- name: MERIDIAN_ADMIN_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "meridian.secretName" . }}
      key: admin-token
- name: MERIDIAN_CONFIG
  value: /etc/meridian/meridian.conf
# Remoting and Cluster Bootstrap advertise the pod's IP; management binds every interface.
- name: MERIDIAN_REMOTE_HOST
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
- name: MERIDIAN_REMOTE_PORT
  value: {{ .Values.ports.remoting | quote }}
- name: MERIDIAN_MANAGEMENT_HOST
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
- name: MERIDIAN_MANAGEMENT_BIND_HOST
  value: 0.0.0.0
- name: MERIDIAN_MANAGEMENT_PORT
  value: {{ .Values.ports.management | quote }}
- name: MERIDIAN_HTTP_HOST
  value: {{ .Values.http.host | quote }}
- name: MERIDIAN_HTTP_PORT
  value: {{ .Values.ports.http | quote }}
- name: MERIDIAN_CLUSTER_BOOTSTRAP
  value: "on"
- name: MERIDIAN_BOOTSTRAP_SERVICE_NAME
  value: {{ include "meridian.fullname" . | quote }}
- name: MERIDIAN_POD_LABEL_SELECTOR
  value: {{ include "meridian.podLabelSelector" . | quote }}
- name: MERIDIAN_REQUIRED_CONTACT_POINTS
  value: {{ include "meridian.requiredContactPoints" . | quote }}
{{- with .Values.cluster.failureDetectorPause }}
- name: MERIDIAN_FAILURE_DETECTOR_PAUSE
  value: {{ . | quote }}
{{- end }}
{{- with .Values.cluster.splitBrainStableAfter }}
- name: MERIDIAN_SBR_STABLE_AFTER
  value: {{ . | quote }}
{{- end }}
- name: MERIDIAN_CASSANDRA_EMBEDDED
  value: "false"
{{- if not .Values.cassandra.contactPoints }}
{{- fail "cassandra.contactPoints: set at least one host:port of the Cassandra cluster" }}
{{- end }}
- name: MERIDIAN_CASSANDRA_CONTACT_POINTS
  value: {{ .Values.cassandra.contactPoints | join "," | quote }}
- name: MERIDIAN_CASSANDRA_LOCAL_DC
  value: {{ .Values.cassandra.localDatacenter | quote }}
- name: MERIDIAN_CASSANDRA_KEYSPACE
  value: {{ .Values.cassandra.keyspace | quote }}
- name: MERIDIAN_CASSANDRA_AUTO_CREATE
  value: {{ .Values.cassandra.autoCreate | quote }}
- name: MERIDIAN_CASSANDRA_WRITE_CONSISTENCY
  value: {{ .Values.cassandra.writeConsistency | quote }}
- name: MERIDIAN_CASSANDRA_READ_CONSISTENCY
  value: {{ .Values.cassandra.readConsistency | quote }}
{{- with .Values.cassandra.username }}
- name: MERIDIAN_CASSANDRA_USERNAME
  value: {{ . | quote }}
- name: MERIDIAN_CASSANDRA_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "meridian.cassandraSecretName" $ }}
      key: cassandra-password
{{- end }}
- name: MERIDIAN_LOG_DIR
  value: /var/log/meridian
- name: MERIDIAN_LOG_STDOUT
  value: {{ .Values.logs.stdout | quote }}
- name: MERIDIAN_LOG_LEVEL
  value: {{ .Values.logs.level | quote }}
- name: MERIDIAN_LOG_MAX_FILE_SIZE
  value: {{ .Values.logs.maxFileSize | quote }}
- name: MERIDIAN_LOG_MAX_FILES
  value: {{ .Values.logs.maxFiles | quote }}
{{- with .Values.jvmOptions }}
- name: JAVA_TOOL_OPTIONS
  value: {{ . | quote }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}
