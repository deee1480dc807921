"""newsroom"""
