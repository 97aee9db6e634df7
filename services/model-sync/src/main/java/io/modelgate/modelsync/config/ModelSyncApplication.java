package io.modelgate.modelsync.config;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The model-sync service: Keeps the AIDB model registry of every target database in step with what is served. */
@OpenAPIDefinition(info = @Info(title = "Modelgate model-sync API", version = "0.1.0", description = "Keeps the AIDB model registry of every target database in step with what is served."), security = @SecurityRequirement(name = "jwt"))
@SecurityScheme(securitySchemeName = "jwt", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
public class ModelSyncApplication extends Application {
}
