# Optional Application Load Balancer in front of the host: HTTPS only (80 redirects), modern TLS,
# invalid headers dropped, one host name per page routed to the host's vote and result ports.

resource "aws_lb" "this" {
  name                       = "${var.name}-alb"
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = var.subnet_ids
  security_groups            = [var.security_group_id]
  drop_invalid_header_fields = true
  enable_deletion_protection = var.deletion_protection
  # WebSockets of the result page stay open: a long idle timeout keeps quiet viewers connected.
  idle_timeout = 300
}

resource "aws_lb_target_group" "page" {
  for_each = var.pages

  name     = "${var.name}-${each.key}"
  port     = each.value.port
  protocol = "HTTP"
  vpc_id   = var.vpc_id

  # The page itself: the management port (/ready) is never reachable from outside the host.
  health_check {
    path                = "/"
    matcher             = "200"
    interval            = 15
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  # The vote and result services drain for 5 s on SIGTERM: deregister a little longer than that.
  deregistration_delay = 15
}

resource "aws_lb_target_group_attachment" "page" {
  for_each = var.pages

  target_group_arn = aws_lb_target_group.page[each.key].arn
  target_id        = var.instance_id
  port             = each.value.port
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      message_body = "Not found"
      status_code  = "404"
    }
  }
}

resource "aws_lb_listener_rule" "page" {
  for_each = var.pages

  listener_arn = aws_lb_listener.https.arn
  priority     = each.key == "vote" ? 10 : 20

  condition {
    host_header {
      values = [each.value.host]
    }
  }

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.page[each.key].arn
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}
