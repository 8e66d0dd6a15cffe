package io.edgeplane.seedmanager.audit;

import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.Page;
import io.edgeplane.seedmanager.api.PageRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/** The audit trail, newest first. Admin only. */
@Controller("/api/v1/audit")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AuditController {
    private final AuditRepository audit;

    public AuditController(AuditRepository audit) {
        this.audit = audit;
    }

    @Get
    public Page<AuditEvent> list(Caller caller, @QueryValue @Nullable Integer limit, @QueryValue @Nullable String cursor) {
        caller.requireAdmin();
        PageRequest page = PageRequest.of(limit, cursor);
        return page.page(audit.listBefore(page.beforeId(), page.fetchSize()), e -> Long.toString(e.id()));
    }
}
