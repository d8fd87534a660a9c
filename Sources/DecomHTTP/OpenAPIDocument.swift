/// The OpenAPI 3 document of the native API, served at `GET /api/v1/openapi.json`. Written
/// by hand beside the routes (``NativeRoutes``) and checked by the end-to-end tests: the
/// document parses, every route the server answers is in it, and schemathesis sends
/// generated requests against it in `make test` (no answer may be a 5xx or differ from the
/// document).
enum OpenAPIDocument {
    static let text = #"""
        {
          "openapi": "3.0.3",
          "info": {
            "title": "decom",
            "version": "1",
            "description": "Browse a device fleet and take devices out of it safely: archive (undoable), purge and unenroll, through decom's core: plan, authority and policy checks, one atomic transaction, per-item results, an append-only audit. Every request acts as its bearer token's user and role (decom token create)."
          },
          "security": [{"bearer": []}],
          "paths": {
            "/api/v1/devices": {
              "get": {
                "operationId": "listDevices",
                "summary": "One page of the devices a query selects",
                "parameters": [
                  {"name": "q", "in": "query", "description": "The query language of decom list", "schema": {"type": "string"}},
                  {"name": "scope", "in": "query", "schema": {"type": "string", "enum": ["active", "archived", "all"]}},
                  {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["id", "name", "serial", "type", "os", "status", "mdm", "compliance", "last_seen"]}},
                  {"name": "desc", "in": "query", "schema": {"type": "string", "enum": ["0", "1", "true", "false"]}},
                  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
                  {"name": "cursor", "in": "query", "description": "next_cursor of the previous page", "schema": {"type": "string"}}
                ],
                "responses": {
                  "200": {"description": "A page", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DeviceList"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "429": {"$ref": "#/components/responses/TooManyRequests"}
                }
              }
            },
            "/api/v1/devices/{key}": {
              "get": {
                "operationId": "showDevice",
                "summary": "One device in full, by any key: 42, ~label, mac:…, hwid:…, serial:…",
                "parameters": [{"name": "key", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {
                  "200": {"description": "The device", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DeviceEnvelope"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "409": {"$ref": "#/components/responses/Conflict"},
                  "429": {"$ref": "#/components/responses/TooManyRequests"}
                }
              }
            },
            "/api/v1/deletions": {
              "post": {
                "operationId": "delete",
                "summary": "Archive, purge or unenroll devices (or a dry run of it)",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DeletionRequest"}}}},
                "responses": {
                  "200": {"description": "What happened to each key", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Deletion"}}}},
                  "202": {"description": "Queued (async): the transaction is PENDING; Location names it", "headers": {"Location": {"schema": {"type": "string"}}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Deletion"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "413": {"$ref": "#/components/responses/TooLarge"},
                  "429": {"$ref": "#/components/responses/TooManyRequests"},
                  "503": {"$ref": "#/components/responses/Busy"}
                }
              }
            },
            "/api/v1/transactions": {
              "get": {
                "operationId": "listTransactions",
                "summary": "Transactions, newest first, without their items: counts by outcome",
                "parameters": [
                  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
                  {"name": "before", "in": "query", "description": "next_before of the previous page", "schema": {"type": "integer", "minimum": 1}}
                ],
                "responses": {
                  "200": {"description": "Transactions", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TransactionList"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "429": {"$ref": "#/components/responses/TooManyRequests"}
                }
              }
            },
            "/api/v1/transactions/{id}": {
              "get": {
                "operationId": "showTransaction",
                "summary": "One transaction with its items",
                "parameters": [{"$ref": "#/components/parameters/TransactionID"}],
                "responses": {
                  "200": {"description": "The transaction", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TransactionEntry"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "429": {"$ref": "#/components/responses/TooManyRequests"}
                }
              },
              "delete": {
                "operationId": "cancelTransaction",
                "summary": "Cancel a transaction still PENDING (its submitter or an admin)",
                "parameters": [{"$ref": "#/components/parameters/TransactionID"}],
                "responses": {
                  "200": {"description": "The transaction, CANCELED", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TransactionEntry"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "409": {"$ref": "#/components/responses/Conflict"},
                  "429": {"$ref": "#/components/responses/TooManyRequests"},
                  "503": {"$ref": "#/components/responses/Busy"}
                }
              }
            },
            "/api/v1/transactions/{id}/undo": {
              "post": {
                "operationId": "undo",
                "summary": "Undo an archive: its devices come back as it left them",
                "parameters": [{"$ref": "#/components/parameters/TransactionID"}],
                "responses": {
                  "200": {"description": "The RESTORE transaction", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Deletion"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "409": {"$ref": "#/components/responses/Conflict"},
                  "429": {"$ref": "#/components/responses/TooManyRequests"},
                  "503": {"$ref": "#/components/responses/Busy"}
                }
              }
            }
          },
          "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "A token from decom token create"}},
            "parameters": {
              "TransactionID": {"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}}
            },
            "responses": {
              "BadRequest": {"description": "Bad input; field names it", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "Unauthorized": {"description": "No token, or an unknown, expired or revoked one", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "Forbidden": {"description": "The token's role may not", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "NotFound": {"description": "No such device or transaction", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "Conflict": {"description": "Ambiguous key, or a transaction in a state that does not allow it", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "TooLarge": {"description": "Body over the server's limit", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "TooManyRequests": {"description": "Over the token's rate limit", "headers": {"Retry-After": {"schema": {"type": "integer"}}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "Busy": {"description": "The database stayed busy", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            },
            "schemas": {
              "Error": {
                "type": "object", "required": ["error"],
                "properties": {"error": {"type": "object", "required": ["status", "code", "message"],
                  "properties": {"status": {"type": "integer"}, "code": {"type": "string"}, "message": {"type": "string"}, "field": {"type": "string"}}}}
              },
              "DeletionRequest": {
                "type": "object", "required": ["keys", "mode"], "additionalProperties": false,
                "properties": {
                  "keys": {"type": "array", "minItems": 1, "items": {"oneOf": [
                    {"type": "string", "description": "42, ~label, mac:…, hwid:… or serial:…"},
                    {"type": "object", "required": ["id"], "additionalProperties": false, "properties": {"id": {"oneOf": [{"type": "integer"}, {"type": "string"}]}}}
                  ]}},
                  "mode": {"type": "string", "enum": ["archive", "purge", "unenroll", "archive-unenroll"]},
                  "dry_run": {"type": "boolean"},
                  "bulk": {"type": "boolean", "description": "Required to purge more than one device"},
                  "async": {"type": "boolean"}
                }
              },
              "Summary": {
                "type": "object", "required": ["id", "client_status", "compliance"],
                "properties": {
                  "id": {"type": "integer"}, "name": {"type": "string", "nullable": true},
                  "serial_number": {"type": "string", "nullable": true}, "type": {"type": "string", "nullable": true},
                  "category": {"type": "string", "nullable": true}, "os_platform": {"type": "string", "nullable": true},
                  "client_status": {"type": "string"}, "mdm_status": {"type": "string", "nullable": true},
                  "device_status": {"type": "string"}, "label": {"type": "string", "nullable": true},
                  "hwid": {"type": "string", "nullable": true}, "mac_addresses": {"type": "array", "items": {"type": "string"}},
                  "last_seen": {"type": "string", "format": "date-time", "nullable": true},
                  "compliance": {"$ref": "#/components/schemas/Compliance"}
                }
              },
              "Compliance": {
                "type": "object", "required": ["verdict"],
                "properties": {"verdict": {"type": "string", "enum": ["compliant", "non_compliant", "unknown"]}, "failing": {"type": "array", "items": {"type": "string"}}}
              },
              "DeviceList": {
                "type": "object", "required": ["data", "total", "next_cursor"],
                "properties": {
                  "data": {"type": "array", "items": {"$ref": "#/components/schemas/Summary"}},
                  "total": {"type": "integer", "minimum": 0},
                  "next_cursor": {"type": "string", "nullable": true}
                }
              },
              "DeviceEnvelope": {
                "type": "object", "required": ["data"],
                "properties": {"data": {"type": "object", "required": ["id", "client_status", "compliance", "sessions"],
                  "description": "Seed 001's device schema, plus label, mac_addresses, hwid, device_status, last_seen, archived_at, compliance, sessions and external_id",
                  "properties": {"id": {"type": "integer"}, "client_status": {"type": "string"}, "compliance": {"$ref": "#/components/schemas/Compliance"}, "sessions": {"type": "array", "items": {"type": "object"}}}}}
              },
              "Item": {
                "type": "object", "required": ["key", "outcome"],
                "properties": {
                  "key": {"type": "string"}, "device_id": {"type": "integer", "nullable": true},
                  "device_name": {"type": "string", "nullable": true}, "outcome": {"type": "string"},
                  "reason": {"type": "string", "nullable": true}
                }
              },
              "Transaction": {
                "type": "object", "required": ["id", "type", "status", "user", "role", "created_at", "updated_at"],
                "properties": {
                  "id": {"type": "integer", "nullable": true}, "type": {"type": "string"}, "status": {"type": "string"},
                  "user": {"type": "string"}, "role": {"type": "string", "enum": ["viewer", "operator", "admin"]},
                  "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"},
                  "undoes": {"type": "integer", "nullable": true}, "undone_by": {"type": "integer", "nullable": true},
                  "error": {"type": "string", "nullable": true}, "source": {"type": "string"}
                }
              },
              "Deletion": {
                "type": "object", "required": ["dry_run", "result"],
                "properties": {
                  "transaction": {"allOf": [{"$ref": "#/components/schemas/Transaction"}], "nullable": true},
                  "dry_run": {"type": "boolean"},
                  "result": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}
                }
              },
              "TransactionEntry": {
                "allOf": [{"$ref": "#/components/schemas/Transaction"}, {"type": "object", "required": ["result"], "properties": {"result": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}}}]
              },
              "TransactionList": {
                "type": "object", "required": ["transactions", "next_before"],
                "properties": {
                  "transactions": {"type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/Transaction"}, {"type": "object", "required": ["counts"], "properties": {"counts": {"type": "object", "additionalProperties": {"type": "integer"}}}}]}},
                  "next_before": {"type": "integer", "nullable": true}
                }
              }
            }
          }
        }
        """#
}
