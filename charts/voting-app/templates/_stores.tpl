{{/* Where the stores are (Redis, PostgreSQL: dev mode's or the external ones) and which component talks to which. */}}

{{/* Where the pods find Redis and PostgreSQL: the dev-mode Services, or the external hosts. */}}
{{- define "voting-app.redisHost" -}}
{{- if .Values.dev.enabled }}{{ include "voting-app.componentName" (dict "root" . "component" "redis") }}{{ else }}{{ .Values.redis.host }}{{ end }}
{{- end }}
{{- define "voting-app.redisPort" -}}
{{- if .Values.dev.enabled }}6379{{ else }}{{ .Values.redis.port }}{{ end }}
{{- end }}
{{- define "voting-app.redisTls" -}}
{{- if and .Values.redis.tls.enabled (not .Values.dev.enabled) }}true{{ end }}
{{- end }}
{{- define "voting-app.redisUrl" -}}
{{- printf "%s://%s:%s/%d" (ternary "rediss" "redis" (eq (include "voting-app.redisTls" .) "true")) (include "voting-app.redisHost" .) (include "voting-app.redisPort" .) (int .Values.redis.database) }}
{{- end }}
{{- define "voting-app.pgHost" -}}
{{- if .Values.dev.enabled }}{{ include "voting-app.componentName" (dict "root" . "component" "postgresql") }}{{ else }}{{ .Values.postgresql.host }}{{ end }}
{{- end }}
{{- define "voting-app.pgPort" -}}
{{- if .Values.dev.enabled }}5432{{ else }}{{ .Values.postgresql.port }}{{ end }}
{{- end }}
{{- define "voting-app.pgSslMode" -}}
{{- if .Values.dev.enabled }}disable{{ else }}{{ .Values.postgresql.sslMode }}{{ end }}
{{- end }}

{{/* The stores a component talks to: (dict "redis" BOOL "postgresql" BOOL), for the CA files and the network policies. */}}
{{- define "voting-app.stores" -}}
{{- toYaml (dict "redis" (has . (list "vote" "worker" "backup" "redis-exporter")) "postgresql" (has . (list "worker" "result" "migrate" "roles" "backup" "postgres-exporter"))) }}
{{- end }}
