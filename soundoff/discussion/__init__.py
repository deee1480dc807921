"""discussion"""
