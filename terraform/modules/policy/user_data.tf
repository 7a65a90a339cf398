# The host's boot script and the secret-fetching script it installs (platform = "docker-host"; null on
# EKS). Neither holds a secret: the passwords are fetched at every start of the stack, from the one
# secret, into a tmpfs.

locals {
  # Who may read each compose secret file: the UIDs of the services of docker-compose.yml that mount
  # it (the file is bind-mounted as is, so its owner and mode on the host are what the container sees).
  # terraform/checks/compose_secret_readers.py compares this with docker-compose.yml. Monitoring
  # readers only when the monitoring profile runs; a file nobody is granted stays readable by root
  # alone.
  # The master password (pg_password) is the database's and the roles job's (the app image, 65532)
  # only; the app logs in with one role per job (issue 22): voting_owner (migrate), worker, result and
  # voting_monitor (postgres_exporter), each password a file of its own. The roles job sets the roles'
  # passwords from these files.
  secret_readers_app = {
    pg_password            = [70, 65532]  # db (postgres), the roles job
    owner_db_password      = [65532]      # migrate, the roles job
    worker_db_password     = [65532]      # worker, the roles job
    result_db_password     = [65532]      # result, the roles job
    monitor_db_password    = [65532]      # the roles job
    redis_password         = [999, 65532] # redis, vote and worker
    grafana_admin_password = []
  }
  secret_readers_monitoring = {
    pg_password            = []
    owner_db_password      = []
    worker_db_password     = []
    result_db_password     = []
    monitor_db_password    = [65534] # postgres-exporter
    redis_password         = [59000] # redis-exporter
    grafana_admin_password = [472]   # grafana
  }
  secret_readers = {
    for k, uids in local.secret_readers_app :
    k => distinct(concat(uids, var.enable_monitoring ? local.secret_readers_monitoring[k] : []))
  }

  secrets_dir    = "/run/${var.name}/secrets"
  fetch_script   = "/usr/local/sbin/${var.name}-fetch-secrets"
  unit_name      = "${var.name}.service"
  compose_dir    = "/opt/${var.name}"
  compose_config = "/etc/${var.name}"

  secrets_fetch_script = !local.on_host ? null : templatefile("${path.module}/templates/fetch-secrets.sh.tftpl", {
    secret_arn     = var.secret_arn
    aws_region     = var.aws_region
    secrets_dir    = local.secrets_dir
    secret_readers = local.secret_readers
  })

  # Images by digest, never by tag: what CI tested is what runs.
  compose_override = !local.on_host ? null : yamlencode({
    services = merge(
      { for role, digest in var.image_digests : role => { image = "${var.image_repository}/${role}@${digest}" } },
      { seed = { image = "${var.image_repository}/vote@${var.image_digests.vote}" } },
      { for svc, ref in var.pinned_images : svc => { image = ref } },
    )
  })

  compose_env = join("\n", [
    "COMPOSE_PROJECT_NAME=${var.name}",
    "VOTE_HOST_PORT=${var.vote_port}",
    "RESULT_HOST_PORT=${var.result_port}",
    "OPTION_A=${var.option_labels.a}",
    "OPTION_B=${var.option_labels.b}",
    "PG_PASSWORD_FILE=${local.secrets_dir}/pg_password",
    "OWNER_DB_PASSWORD_FILE=${local.secrets_dir}/owner_db_password",
    "WORKER_DB_PASSWORD_FILE=${local.secrets_dir}/worker_db_password",
    "RESULT_DB_PASSWORD_FILE=${local.secrets_dir}/result_db_password",
    "MONITOR_DB_PASSWORD_FILE=${local.secrets_dir}/monitor_db_password",
    "REDIS_PASSWORD_FILE=${local.secrets_dir}/redis_password",
    "GRAFANA_ADMIN_PASSWORD_FILE=${local.secrets_dir}/grafana_admin_password",
    # Grafana and Jaeger stay on loopback: reach them through an SSM port-forwarding session.
    "GRAFANA_HOST_IP=127.0.0.1",
  ])

  compose_args = join(" ", concat(
    ["--project-directory ${local.compose_dir}/current", "--env-file ${local.compose_config}/compose.env"],
    ["-f ${local.compose_dir}/current/docker-compose.yml", "-f ${local.compose_config}/compose.aws.yml"],
    var.enable_monitoring ? ["--profile monitoring"] : [],
  ))

  systemd_unit = templatefile("${path.module}/templates/stack.service.tftpl", {
    name         = var.name
    environment  = var.environment
    fetch_script = local.fetch_script
    compose_args = local.compose_args
  })

  user_data = !local.on_host ? null : templatefile("${path.module}/templates/user-data.sh.tftpl", {
    name                 = var.name
    environment          = var.environment
    aws_region           = var.aws_region
    data_device          = "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${replace(var.data_volume_id, "-", "")}"
    docker_version       = var.docker_version
    compose_version      = var.compose_version
    compose_sha256       = var.compose_sha256
    artifacts_bucket     = var.artifacts_bucket_name
    bundle_key           = var.bundle_key
    bundle_sha256        = var.bundle_sha256
    compose_dir          = local.compose_dir
    compose_config       = local.compose_config
    compose_env          = local.compose_env
    compose_override     = local.compose_override
    fetch_script         = local.fetch_script
    secrets_fetch_script = local.secrets_fetch_script
    unit_name            = local.unit_name
    systemd_unit         = local.systemd_unit
  })
}
