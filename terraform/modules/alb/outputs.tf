output "dns_name" {
  description = "DNS name of the load balancer (point the two host names at it)."
  value       = aws_lb.this.dns_name
}

# The resources as planned, for the roots' tests (terraform test reads only outputs of a root's modules).
output "resources" {
  description = "The load balancer and its listeners as planned."
  value       = { load_balancer = aws_lb.this, https = aws_lb_listener.https, http = aws_lb_listener.http }
}
