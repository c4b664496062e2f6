"""The batch client: files and folders translated through every replica, resumably."""
