"""Thin command-line front ends: parse arguments, call tasks, print, return an exit code."""
