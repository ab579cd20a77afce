"""Settings of the gateway."""
from __future__ import annotations

from congress_common.settings import ServiceSettings
from pydantic import SecretStr


class GatewaySettings(ServiceSettings):
    service_name: str = "gateway"
    admin_password: SecretStr | None = None
    checkin_url: str | None = None
    seating_url: str | None = None
    documents_url: str | None = None
    rate_limit_api: str = "200/second"
    rate_limit_login: str = "30/minute"
    rate_limit_delegate_account: str = "10/15 minutes"
    rate_limit_delegate_device: str = "10/15 minutes"
    rate_limit_delegate_ip: str = "300/15 minutes"
    staff_token_hours: int = 12
    delegate_token_hours: int = 72
    kiosk_token_days: int = 60
    upstream_timeout_seconds: float = 30.0
