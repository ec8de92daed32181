"""The boto3 deployer of serverless/template.yaml, for the local AWS or a real account."""
