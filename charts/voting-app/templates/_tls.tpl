{{/* The CAs of Redis and PostgreSQL: when a pod needs them, and their variables, volumes and mounts. */}}

{{/* Where the CA files are mounted, one folder per store. */}}
{{- define "voting-app.caDir" -}}/var/run/voting-app-ca{{- end }}

{{/*
The CAs of Redis (REDIS_CA_CERT, redis.tls.ca) and PostgreSQL (PGSSLROOTCERT, postgresql.sslRootCert):
variables, volumes and mounts, for the pods that talk to each over TLS; every pod that reaches a store
(the app's roles, the migration Job, the backup CronJobs) takes them from here.
Call with (dict "root" $ "redis" BOOL "postgresql" BOOL).
*/}}
{{- define "voting-app.redisCa" -}}
{{- $v := .Values }}{{ if and (include "voting-app.redisTls" .) (or $v.redis.tls.ca.secretName $v.redis.tls.ca.configMapName) }}true{{ end }}
{{- end }}
{{- define "voting-app.postgresqlCa" -}}
{{- $v := .Values }}{{ if and (not $v.dev.enabled) (or $v.postgresql.sslRootCert.secretName $v.postgresql.sslRootCert.configMapName) }}true{{ end }}
{{- end }}

{{- define "voting-app.caEnv" -}}
{{- $v := .root.Values }}
{{- if and .redis (include "voting-app.redisCa" .root) }}
- name: REDIS_CA_CERT
  value: {{ printf "%s/redis/%s" (include "voting-app.caDir" .) $v.redis.tls.ca.key }}
{{- end }}
{{- if and .postgresql (include "voting-app.postgresqlCa" .root) }}
- name: PGSSLROOTCERT
  value: {{ printf "%s/postgresql/%s" (include "voting-app.caDir" .) $v.postgresql.sslRootCert.key }}
{{- end }}
{{- end }}

{{- define "voting-app.caVolumes" -}}
{{- $v := .root.Values }}
{{- range $store := list "redis" "postgresql" }}
{{- if and (index $ $store) (include (printf "voting-app.%sCa" $store) $.root) }}
{{- with ternary $v.redis.tls.ca $v.postgresql.sslRootCert (eq $store "redis") }}
- name: {{ $store }}-ca
{{- if .secretName }}
  secret:
    secretName: {{ .secretName }}
{{- else }}
  configMap:
    name: {{ .configMapName }}
{{- end }}
    items: [{key: {{ .key }}, path: {{ .key }}}]
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{- define "voting-app.caMounts" -}}
{{- range $store := list "redis" "postgresql" }}
{{- if and (index $ $store) (include (printf "voting-app.%sCa" $store) $.root) }}
- name: {{ $store }}-ca
  mountPath: {{ printf "%s/%s" (include "voting-app.caDir" $) $store }}
  readOnly: true
{{- end }}
{{- end }}
{{- end }}
