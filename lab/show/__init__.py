"""What the control plane's show commands print."""
