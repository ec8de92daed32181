"""The notebooks' helpers: architectures that are always brought down, probes, the AWS lab."""
