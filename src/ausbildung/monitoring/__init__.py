"""Monitoring for the Alliance and the Länder-Pakte (issue #19)."""
