"""Event source mappings: SQS, Kinesis and DynamoDB Streams pollers."""
