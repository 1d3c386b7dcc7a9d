package dev.berth.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.function.Consumer;

/** What every connection of one server shares; built by {@link UnixHttpServer.Builder}. */
record ServerConfig(
        Handler handler,
        ObjectMapper json,
        Consumer<Headers> responseHeaders,
        ErrorMapper errorMapper,
        int maxHeaderBytes,
        long drainLimit) {}
