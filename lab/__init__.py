"""The emulated Cisco ISR lab: one SSH-reachable IOS CLI per inventory host (see ``lab.api``)."""
