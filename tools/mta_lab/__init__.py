"""What every MTA lab shares: loopback servers, the newsletter, unpacked packages, bounce collection.

Each tools/<mta>_lab keeps only its own MTA's instance and cases; the power-cut
VM's kernel fetch uses the package unpacking too.
"""
