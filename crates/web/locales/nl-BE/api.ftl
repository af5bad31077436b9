# api: the page at /api/v1/docs
api-docs-title = API-documentatie
api-docs-intro = Stedenplatform heeft een JSON-API onder /api/v1. Een programma meldt zich aan met een API-token in de header "Authorization: Bearer <token>". Fouten zijn probleemdocumenten volgens RFC 9457; lijsten zijn gepagineerd met page en per_page (hoogstens 200) en een Link-header.
api-docs-openapi-link = Het volledige OpenAPI 3-document (JSON)
api-docs-operations = Operaties van de API
api-docs-method = Methode
api-docs-path = Pad
api-docs-summary = Omschrijving
api-docs-module = Module
api-docs-scope = Vereiste scope
api-docs-public = geen token nodig
