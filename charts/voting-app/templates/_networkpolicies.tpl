{{/* The pieces of templates/networkpolicies.yaml: a policy's head, a peer by namespace and labels, a rule to one peer, DNS, a store. */}}

{{/* apiVersion to policyTypes of one component's NetworkPolicy. Call with (dict "root" $ "component" "vote"). */}}
{{- define "voting-app.networkPolicyHead" -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "voting-app.componentName" . }}
  labels:
    {{- include "voting-app.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "voting-app.selectorLabels" . | nindent 6 }}
  policyTypes: [Ingress, Egress]
{{- end }}

{{/* The pods of another namespace, as values name them: (dict "namespace" NAME "podLabels" LABELS); no labels: all its pods. */}}
{{- define "voting-app.namespacePeer" -}}
- namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: {{ .namespace }}
  {{- with .podLabels }}
  podSelector:
    matchLabels:
      {{- toYaml . | nindent 6 }}
  {{- end }}
{{- end }}

{{/* One rule: from (ingress) or to (egress) such a peer, on one TCP port. Call with (dict "direction" "from" "peer" PEER "port" 5000). */}}
{{- define "voting-app.peerRule" -}}
- {{ .direction }}:
    {{- include "voting-app.namespacePeer" .peer | nindent 4 }}
  ports:
    - port: {{ .port }}
      protocol: TCP
{{- end }}

{{/* DNS, which every pod of the release may ask (networkPolicy.dns). */}}
{{- define "voting-app.dnsEgress" -}}
- to:
    {{- include "voting-app.namespacePeer" .Values.networkPolicy.dns | nindent 4 }}
  ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- end }}

{{/*
Egress to a store on a port: dev mode's pod, else the store's cidrs (redis.cidrs, postgresql.cidrs;
none: any address). Call with (dict "root" $ "store" "redis" "port" 6379).
*/}}
{{- define "voting-app.storeEgress" -}}
{{- $root := .root }}
{{- $cidrs := (index $root.Values .store).cidrs -}}
- {{- if $root.Values.dev.enabled }}
  to:
    - podSelector:
        matchLabels:
          {{- include "voting-app.selectorLabels" (dict "root" $root "component" .store) | nindent 10 }}
  {{- else if $cidrs }}
  to:
    {{- range $cidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  {{- end }}
  ports:
    - port: {{ .port }}
      protocol: TCP
{{- end }}
