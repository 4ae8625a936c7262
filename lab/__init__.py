"""The emulated ISR lab, in layers (a package imports only the ones before it):

hardware (models as data, the one interface-name table) -> grammar (the one IOS grammar engine,
config-mode rows and prompts) -> config (store, the one config tree, IOS side effects, print
order, device persistence, flash) -> model (the control plane) -> show (formatters) -> cli
(session, exec rows with their handlers) -> ssh (transport) -> serve (state files, inventory)
-> api (the public surface: ``lab.api``). ``tests/lab/test_layers.py`` enforces the order.
"""
