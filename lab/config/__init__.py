"""One device's configuration: the store, the one config tree, IOS side effects,
print order, persistence (running/startup) and flash."""
