// Where the contract's API is. Empty: the origin that served this page (monolith, SOA, microservices).
// The serverless deploy uploads its own copy of this file with the HTTP API's URL.
window.CATALOG_CONFIG = {api: ""};
