{{/* Image references: the project's images (tag or digest, defaulting to the appVersion) and third-party ones. */}}

{{/*
An image reference: repository@digest when a digest is given, else repository:tag.
Call with (dict "root" $ "role" "vote" "image" .Values.vote.image).
*/}}
{{- define "voting-app.image" -}}
{{- $repository := .image.repository | default (printf "%s/%s" .root.Values.image.repositoryPrefix .role) }}
{{- if .image.digest }}
{{- printf "%s@%s" $repository .image.digest }}
{{- else }}
{{- printf "%s:%s" $repository (.image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/* A third-party image (dev mode, the exporters): repository@digest or repository:tag. */}}
{{- define "voting-app.plainImage" -}}
{{- if .digest }}
{{- printf "%s@%s" .repository .digest }}
{{- else }}
{{- printf "%s:%s" .repository .tag }}
{{- end }}
{{- end }}
