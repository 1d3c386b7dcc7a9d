package dev.berth.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoutingTest extends ServerFixture {
    @BeforeEach
    void startRouter() throws Exception {
        Router router = new Router()
                .versions(ApiVersion.parse("1.24"), ApiVersion.parse("1.47"))
                .get("/_ping", (req, res) -> res.text(200, "OK"))
                .get("/containers/json", (req, res) -> res.json(Map.of(
                        "all", req.query().bool("all"),
                        "filters", req.query().json("filters").map(Object::toString).orElse(""),
                        "label", req.query().all("label"))))
                .post("/containers/{id}/start", (req, res) -> res.json(Map.of(
                        "id", req.pathParam("id"), "version", req.apiVersion().orElseThrow().toString())))
                .get("/images/json", (req, res) -> res.json(Map.of("list", true)))
                .get("/images/{name...}/json", (req, res) -> res.json(Map.of("name", req.pathParam("name"))))
                .delete("/images/{name...}", (req, res) -> res.json(Map.of("deleted", req.pathParam("name"))))
                .get("/containers/{id}/archive", (req, res) -> res.json(Map.of("get", true)))
                .head("/containers/{id}/archive", (req, res) -> {
                    res.header("X-Docker-Container-Path-Stat", "e30=");
                    res.status(200);
                });
        start(router);
    }

    @Test
    void routesWithAndWithoutVersionPrefix() throws Exception {
        var bare = Curl.run(socket(), "-X", "POST", "http://d/containers/abc/start");
        var versioned = Curl.run(socket(), "-X", "POST", "http://d/v1.44/containers/abc/start");
        var oldest = Curl.run(socket(), "-X", "POST", "http://d/v1.24/containers/abc/start");

        assertThat(bare.status()).isEqualTo(200);
        assertThat(bare.body()).contains("\"id\":\"abc\"").contains("\"version\":\"1.47\"");
        assertThat(versioned.body()).contains("\"version\":\"1.44\"");
        assertThat(oldest.body()).contains("\"version\":\"1.24\"");
    }

    @Test
    void versionsOutsideTheRangeAreRefusedAsDockerdDoes() throws Exception {
        var old = Curl.run(socket(), "http://d/v1.12/_ping");
        var young = Curl.run(socket(), "http://d/v1.99/_ping");

        assertThat(old.status()).isEqualTo(400);
        assertThat(old.body()).isEqualTo("{\"message\":\"client version 1.12 is too old. Minimum supported API version is 1.24, "
                + "please upgrade your client to a newer version\"}\n");
        assertThat(young.status()).isEqualTo(400);
        assertThat(young.body()).contains("client version 1.99 is too new. Maximum supported API version is 1.47");
    }

    @Test
    void greedyImageNamesKeepTheirSlashesAndColons() throws Exception {
        var named = Curl.run(socket(), "http://d/v1.47/images/localhost:5000/a/b:tag/json");
        var plain = Curl.run(socket(), "http://d/images/busybox/json");
        var list = Curl.run(socket(), "http://d/images/json");
        var digest = Curl.run(socket(), "-X", "DELETE", "http://d/images/reg.io/x/y@sha256:abcd");
        var jsonNamed = Curl.run(socket(), "http://d/images/json/json");

        assertThat(named.body()).isEqualTo("{\"name\":\"localhost:5000/a/b:tag\"}\n");
        assertThat(plain.body()).contains("\"name\":\"busybox\"");
        assertThat(list.body()).contains("\"list\":true");
        assertThat(digest.body()).contains("\"deleted\":\"reg.io/x/y@sha256:abcd\"");
        assertThat(jsonNamed.body()).contains("\"name\":\"json\"");
    }

    @Test
    void unknownRoutesAndWrongMethodsAre404PageNotFound() throws Exception {
        var unknown = Curl.run(socket(), "http://d/plugins/foo/json");
        var versionedUnknown = Curl.run(socket(), "http://d/v1.44/nothing");
        var wrongMethod = Curl.run(socket(), "-X", "DELETE", "http://d/containers/abc/start");
        var emptyId = Curl.run(socket(), "-X", "POST", "http://d/containers//start");

        for (var r : new Curl.Result[] {unknown, versionedUnknown, wrongMethod, emptyId}) {
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.body()).isEqualTo("{\"message\":\"page not found\"}\n");
        }
    }

    @Test
    void headIsServedByGetWithoutBodyUnlessAHeadRouteExists() throws Exception {
        try (RawClient c = client()) {
            c.request("HEAD", "/v1.47/images/json", null);
            var head = c.readResponse(true);
            c.request("GET", "/v1.47/images/json", null);
            var get = c.readResponse();
            c.request("HEAD", "/containers/x/archive", null);
            var stat = c.readResponse(true);

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(get.body().length()));
            assertThat(head.header("Content-Type")).isEqualTo("application/json");
            assertThat(stat.header("X-Docker-Container-Path-Stat")).isEqualTo("e30=");
            // The connection stayed usable: HEAD responses carried no stray body bytes.
            c.request("GET", "/_ping", null);
            assertThat(c.readResponse().body()).isEqualTo("OK");
        }
    }

    @Test
    void queryStringsDecodeRepeatedKeysAndJsonFilters() throws Exception {
        var r = Curl.run(socket(), "-G", "http://d/containers/json",
                "--data-urlencode", "filters={\"label\":{\"a=b\":true}}",
                "--data-urlencode", "label=x y",
                "--data-urlencode", "label=z+w",
                "-d", "all=1");

        assertThat(r.body()).contains("\"all\":true")
                .contains("\"filters\":\"{\\\"label\\\":{\\\"a=b\\\":true}}\"")
                .contains("\"label\":[\"x y\",\"z+w\"]");
    }

    @Test
    void badJsonInFiltersIs400() throws Exception {
        var r = Curl.run(socket(), "http://d/containers/json?filters=%7Bnope");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).startsWith("{\"message\":\"invalid JSON in query parameter filters");
    }

    @Test
    void responsesCarryTheHookHeaders() throws Exception {
        try (RawClient c = client()) {
            c.request("GET", "/_ping", null);
            var ok = c.readResponse();
            c.request("GET", "/nope", null);
            var missing = c.readResponse();

            for (var r : new RawClient.Reply[] {ok, missing}) {
                assertThat(r.header("Api-Version")).isEqualTo("1.47");
                assertThat(r.header("Ostype")).isEqualTo("linux");
                assertThat(r.header("Server")).isEqualTo("Docker/27.0.0-berth (linux)");
                assertThat(r.header("Date")).endsWith(" GMT");
            }
        }
    }

    @Test
    void percentEncodedPathsAreDecodedBeforeMatching() throws Exception {
        var r = Curl.run(socket(), "http://d/images/reg.io%2Fa%2Fb%3Av1/json");
        assertThat(r.body()).contains("\"name\":\"reg.io/a/b:v1\"");
    }
}
