"""The control plane: every device's running config evaluated together
(underlay, IKEv2, NHRP, EIGRP, routing, ZBFW, data plane, persisted timers)."""
