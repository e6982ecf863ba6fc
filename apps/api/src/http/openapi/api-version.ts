/** Version of the REST API in the OpenAPI document (`info.version`); raise it with the package version. */
export const API_VERSION = '0.1.0';
