locals {
  # voting-eks-<env>: apart from the single host's voting-app-<env> names, so both can live in one
  # account. The names the chart's values expect (argocd/values/<env>.yaml) are kept as they are:
  # the secrets voting-app/<env>/..., the role voting-app-<env>-secrets, the namespace voting-<env>.
  name      = "voting-eks-${var.environment}"
  namespace = "voting-${var.environment}"

  # The app's PostgreSQL logins (the chart's roles Job makes them): which role, for what.
  db_logins = {
    owner   = "voting_owner (owns the schema; the migrate command)"
    worker  = "worker (member of voting_writer: the worker's writes)"
    result  = "result (member of voting_reader: the result service's reads)"
    monitor = "voting_monitor (member of pg_monitor: postgres_exporter)"
  }
}
