"""The reader's rights over their data, as the Privacy Policy lists them:
download it, correct the address, delete the account."""
