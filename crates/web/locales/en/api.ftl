# api: the page at /api/v1/docs
api-docs-title = API documentation
api-docs-intro = Stedenplatform has a JSON API under /api/v1. A program authenticates with an API token in the header "Authorization: Bearer <token>". Errors are RFC 9457 problem documents; lists are paginated with page and per_page (at most 200) and a Link header.
api-docs-openapi-link = The complete OpenAPI 3 document (JSON)
api-docs-operations = Operations of the API
api-docs-method = Method
api-docs-path = Path
api-docs-summary = Description
api-docs-module = Module
api-docs-scope = Required scope
api-docs-public = no token needed
