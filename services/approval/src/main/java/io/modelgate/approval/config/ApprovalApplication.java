package io.modelgate.approval.config;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The approval service: The Model Library: models, versions, metadata, approval policies and human decisions (ModelApproved, ModelRevoked). */
@OpenAPIDefinition(info = @Info(title = "Modelgate approval API", version = "0.1.0", description = "The Model Library: models, versions, metadata, approval policies and human decisions (ModelApproved, ModelRevoked)."), security = @SecurityRequirement(name = "jwt"))
@SecurityScheme(securitySchemeName = "jwt", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
public class ApprovalApplication extends Application {
}
