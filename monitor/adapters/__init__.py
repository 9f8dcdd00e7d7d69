"""Feed adapters: one module per network, the protocol in `base`, discovery in `registry`."""
