-- A compatibility schema reproducing the documented AIDB 7.x model registry API (see AIDB.md in the design folder),
-- written for model-sync's tests: AIDB itself is not open source and cannot be installed here. Providers are foreign
-- servers of a handler-less foreign-data wrapper; credentials are PUBLIC user mappings on them.
create schema aidb;

create foreign data wrapper aidb_fdw;

create server openai_embeddings foreign data wrapper aidb_fdw options (function_type 'text_embedding');
create server openai_completions foreign data wrapper aidb_fdw options (function_type 'text_completion');
create server nim_embeddings foreign data wrapper aidb_fdw options (function_type 'text_embedding');
create server nim_completions foreign data wrapper aidb_fdw options (function_type 'text_completion');
create server nim_reranking foreign data wrapper aidb_fdw options (function_type 'reranking');
create server nim_paddle_ocr foreign data wrapper aidb_fdw options (function_type 'ocr');
comment on server openai_embeddings is 'OpenAI-compatible text embeddings';
comment on server openai_completions is 'OpenAI-compatible text completions';
comment on server nim_embeddings is 'NVIDIA NIM text embeddings';
comment on server nim_completions is 'NVIDIA NIM text completions';
comment on server nim_reranking is 'NVIDIA NIM reranking';
comment on server nim_paddle_ocr is 'NVIDIA NIM PaddleOCR';

create view aidb.model_providers as
select s.srvname::text as server_name,
       obj_description(s.oid, 'pg_foreign_server') as server_description,
       s.srvoptions as server_options
from pg_foreign_server s
join pg_foreign_data_wrapper w on w.oid = s.srvfdw
where w.fdwname = 'aidb_fdw';

create table aidb.model_registry (
    name     text primary key,
    provider text  not null,
    options  jsonb not null default '{}'
);

create view aidb.models as select name, provider, options from aidb.model_registry;

create function aidb.create_model(name text, provider text, config jsonb default '{}',
                                  credentials jsonb default '{}', replace_credentials boolean default false)
returns text language plpgsql as $$
declare
    mapping text[];
begin
    if not exists (select 1 from aidb.model_providers p where p.server_name = create_model.provider) then
        raise exception 'Model provider "%" does not exist', create_model.provider;
    end if;
    if exists (select 1 from aidb.model_registry m where m.name = create_model.name) then
        raise exception 'Model "%" already exists', create_model.name;
    end if;
    if create_model.credentials is not null and create_model.credentials <> '{}'::jsonb then
        select um.umoptions into mapping
        from pg_user_mappings um
        where um.srvname = create_model.provider and um.usename = 'public';
        if not found then
            execute format('create user mapping for public server %I options (credentials %L)',
                           create_model.provider, create_model.credentials::text);
        elsif mapping <> array['credentials=' || create_model.credentials::text] then
            if not create_model.replace_credentials then
                raise exception 'Credentials for model provider "%" already exist', create_model.provider;
            end if;
            execute format('alter user mapping for public server %I options (set credentials %L)',
                           create_model.provider, create_model.credentials::text);
        end if;
    end if;
    insert into aidb.model_registry (name, provider, options)
    values (create_model.name, create_model.provider, coalesce(create_model.config, '{}'::jsonb));
    return create_model.name;
end;
$$;

create function aidb.delete_model(name text)
returns table (delete_model_name text, delete_model_provider text, delete_model_options jsonb)
language plpgsql as $$
declare
    deleted aidb.model_registry;
begin
    delete from aidb.model_registry m where m.name = delete_model.name returning m.* into deleted;
    if not found then
        raise exception 'Model "%" does not exist', delete_model.name;
    end if;
    -- The provider's credentials go with its last model.
    if not exists (select 1 from aidb.model_registry m where m.provider = deleted.provider)
       and exists (select 1 from pg_user_mappings um where um.srvname = deleted.provider and um.usename = 'public') then
        execute format('drop user mapping for public server %I', deleted.provider);
    end if;
    return query select deleted.name, deleted.provider, deleted.options;
end;
$$;

create function aidb.get_model(name text)
returns table (get_model_name text, get_model_provider text, get_model_options jsonb)
language sql stable as $$
    select m.name, m.provider, m.options from aidb.model_registry m where m.name = get_model.name;
$$;

-- Knowledge bases pick their embedding model by name; model-sync lists them before deleting a model.
create table aidb.knowledge_bases (
    name       text primary key,
    model_name text not null
);
