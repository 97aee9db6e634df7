package io.modelgate.serving.config;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The serving service: Deploys approved models as KServe InferenceServices and registers external inference services (ServiceRegistered, ServiceDeregistered). */
@OpenAPIDefinition(info = @Info(title = "Modelgate serving API", version = "0.1.0", description = "Deploys approved models as KServe InferenceServices and registers external inference services (ServiceRegistered, ServiceDeregistered)."), security = @SecurityRequirement(name = "jwt"))
@SecurityScheme(securitySchemeName = "jwt", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
public class ServingApplication extends Application {
}
