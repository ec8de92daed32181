"""The serverless architecture on the local AWS, and the Lambda studies run on it."""
