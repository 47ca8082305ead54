//! The OpenAPI 3.1 document of the machine API (`server/openapi.json`, written by hand), served at
//! `/api/v1/openapi.json`. A test compares its paths with the routes the catalog and department routers are built
//! from, both ways, so the document cannot drift from the code.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

/// The document, as shipped.
pub const DOCUMENT: &str = include_str!("../openapi.json");
/// Where it is served.
pub const PATH: &str = "/api/v1/openapi.json";

pub async fn openapi() -> Response {
    let mut response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        DOCUMENT,
    )
        .into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

/// Every (method, path) the routers serve, as the document writes them.
#[cfg(test)]
pub fn served_routes() -> std::collections::BTreeSet<(String, String)> {
    let catalog = crate::catalog_api::route_table()
        .into_iter()
        .map(|(m, p)| (m.to_owned(), format!("/api/v1/catalog{p}")));
    let dept = app::server::dept_api::route_table()
        .into_iter()
        .map(|(m, p)| (m.to_owned(), format!("/api/v1/dept{p}")));
    catalog
        .chain(dept)
        .chain([("GET".to_owned(), PATH.to_owned())])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn documented() -> std::collections::BTreeSet<(String, String)> {
        let doc: Value = serde_json::from_str(DOCUMENT).expect("the document is JSON");
        let paths = doc["paths"].as_object().expect("paths");
        paths
            .iter()
            .flat_map(|(path, item)| {
                item.as_object()
                    .expect("path item")
                    .keys()
                    .filter(|k| {
                        ["get", "post", "put", "patch", "delete", "head", "options"]
                            .contains(&k.as_str())
                    })
                    .map(|m| (m.to_uppercase(), path.clone()))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn every_route_is_documented_and_every_documented_path_is_served() {
        let served = served_routes();
        let documented = documented();
        let undocumented: Vec<_> = served.difference(&documented).collect();
        let unserved: Vec<_> = documented.difference(&served).collect();
        assert!(
            undocumented.is_empty(),
            "routes missing from openapi.json: {undocumented:?}"
        );
        assert!(
            unserved.is_empty(),
            "openapi.json paths no router serves: {unserved:?}"
        );
        assert!(served.len() >= 10, "{served:?}");
    }

    #[test]
    fn the_document_is_openapi_3_1_with_the_signed_webhook() {
        let doc: Value = serde_json::from_str(DOCUMENT).expect("json");
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(
            doc["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );
        let hook = &doc["webhooks"]["task.changed"]["post"];
        let headers: Vec<_> = hook["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .map(|p| p["name"].as_str().expect("name"))
            .collect();
        assert_eq!(
            headers,
            ["X-Hall-Signature", "X-Hall-Timestamp", "X-Hall-Delivery"]
        );
        // Every $ref points at something in the document.
        let text = DOCUMENT;
        for reference in text.split("\"$ref\": \"#/").skip(1) {
            let pointer = reference.split('"').next().expect("pointer");
            assert!(
                doc.pointer(&format!("/{pointer}")).is_some(),
                "dangling $ref #/{pointer}"
            );
        }
    }
}
