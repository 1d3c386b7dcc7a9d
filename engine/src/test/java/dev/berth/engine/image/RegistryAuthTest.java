package dev.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.EngineException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RegistryAuthTest {
    private static String header(String json, Base64.Encoder encoder) {
        return encoder.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void decodesDockersHeaderInEitherAlphabetWithOrWithoutPadding() {
        String json = "{\"username\":\"u?>\",\"password\":\"p~~\",\"serveraddress\":\"127.0.0.1:5000\"}";
        for (Base64.Encoder enc : new Base64.Encoder[] {Base64.getUrlEncoder(), Base64.getUrlEncoder().withoutPadding(),
                Base64.getEncoder()}) {
            RegistryAuth a = RegistryAuth.fromHeader(header(json, enc));
            assertThat(a.username()).isEqualTo("u?>");
            assertThat(a.password()).isEqualTo("p~~");
            assertThat(a.serverAddress()).isEqualTo("127.0.0.1:5000");
            assertThat(a.storeFor("127.0.0.1:5000").lookup("127.0.0.1:5000")).isPresent();
        }
    }

    @Test
    void emptyMeansNoCredentialsAndGarbageIsA400() {
        assertThat(RegistryAuth.fromHeader(null).present()).isFalse();
        assertThat(RegistryAuth.fromHeader(header("{}", Base64.getUrlEncoder())).present()).isFalse();
        assertThatThrownBy(() -> RegistryAuth.fromHeader("%%%")).isInstanceOf(EngineException.class)
                .hasMessageContaining("invalid X-Registry-Auth header");
        assertThatThrownBy(() -> RegistryAuth.fromHeader(header("{nope", Base64.getUrlEncoder())))
                .isInstanceOf(EngineException.class);
    }

    @Test
    void identityTokensAreRefusedClearly() {
        RegistryAuth a = RegistryAuth.fromJson("{\"identitytoken\":\"t\"}");
        assertThat(a.present()).isTrue();
        assertThatThrownBy(() -> a.storeFor("r")).hasMessageContaining("identity tokens");
    }

    @Test
    void serverAddressesNormalise() {
        assertThat(Images.registryHost("https://index.docker.io/v1/")).isEqualTo("docker.io");
        assertThat(Images.registryHost("http://127.0.0.1:5000/v2/")).isEqualTo("127.0.0.1:5000");
        assertThat(Images.registryHost("")).isEqualTo("docker.io");
    }
}
