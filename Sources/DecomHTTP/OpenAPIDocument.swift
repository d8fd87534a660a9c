/// The OpenAPI 3 document of the native API, served at `GET /api/v1/openapi.json`.
enum OpenAPIDocument {
    static let text = "{}"
}
