package io.modelgate.registrysync.config;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.security.SecuritySchemes;

/** The registry-sync service: Connects to trusted container registries, applies repository rules, and announces new model images (RegistryImageDiscovered). */
@OpenAPIDefinition(info = @Info(title = "Modelgate registry-sync API", version = "0.1.0", description = "Connects to trusted container registries, applies repository rules, and announces new model images (RegistryImageDiscovered)."), security = @SecurityRequirement(name = "jwt"))
@SecuritySchemes({
        @SecurityScheme(securitySchemeName = "jwt", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT"),
        @SecurityScheme(securitySchemeName = "webhook-secret", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER, apiKeyName = "Authorization", description = "The connection's webhook secret, as 'Bearer <secret>' or raw")})
public class RegistrySyncApplication extends Application {
}
