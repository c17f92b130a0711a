"""Small fake PDN servers on loopback, so the real clients run end to end in tests and the demo.

Each ``FakeRegistryServer`` implements one system and API version of the specifications in
integraciones/specs/ (S1 v2, S2 v1 and v2, S3 v1 and v2, and S6 v1: the open-contracting API,
whose results are OCDS releases with priced award items) with deterministic generated data,
plus the OAuth 2.0 password-grant token endpoint for the v1 protocol. ``faults`` switches on the
failures the sync must survive: slow answers, 500s, malformed JSON, tokens that expire mid-sync,
a ``hasNextPage`` that never ends, or a failure from a given page on. Stopping the server gives a
refused connection ("server down").

Usage::

    with FakeRegistryServer(system="s3", version="v1") as fake:
        provider = RegistryProvider.objects.create(**fake.provider_fields(name="s3-prueba"))
        fake.faults.errors_before_success = 2
"""

import base64
import hmac
import json
import random
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from devtools.loopback import LoopbackServer
from integraciones.spec_schemas import errors_for

FAKE_USERNAME = "pdn-demo"
FAKE_PASSWORD = "contrasena-de-demostracion"  # noqa: S105 - a demo credential of a fake server
FAKE_CLIENT_ID = "cliente-pdn-demo"
FAKE_CLIENT_SECRET = "secreto-pdn-demo"  # noqa: S105 - demo credential
FAKE_V2_TOKEN = "token-directus-demo"  # noqa: S105 - demo credential
TOKEN_PATH = "/oauth/token"  # noqa: S105 - a URL path, not a secret

# Parties every fake publishes, so tests and the demo can look them up by RFC, CURP and name.
KNOWN = {
    "s3_company": {
        "name": "Constructora del Valle, S.A. de C.V.",
        "rfc": "CVA010101AB1",
        "start": "2024-01-15",
        "end": "2027-01-14",
    },
    "s3_servant": {
        "names": ("María Fernanda", "López", "Ruiz"),
        "rfc": "LORM800101AB2",
        "curp": "LORM800101MDFPZR09",
        "start": "2023-06-01",
        "end": "2026-05-31",
    },
    "s3v2_company": {
        "name": "Materiales Alfa, S. de R.L. de C.V.",
        "rfc": "MAL020202CD3",
        "start": "2025-02-01",
        "end": "2030-01-31",
    },
    "s2_servant": {
        "names": ("Juan", "Pérez", "Gómez"),
        "rfc": "PEGJ750505XY1",
        "curp": "PEGJ750505HDFRMN01",
    },
    "s2v2_servant": {
        "names": ("Ana", "Torres", "Díaz"),
        "rfc": "TODA820303QW2",
        "curp": "TODA820303MDFRZN04",
        "file_number": "LA-009JZL024-E12-2025",
        "beneficiary": "Constructora del Valle S.A. de C.V.",
    },
    "s1_declarant": {
        "names": ("Luis", "Hernández", "Soto"),
        "rfc": "HESL700707AB3",
        "curp": "HESL700707HDFRTS05",
        "entity": "Secretaría de Infraestructura",
        "job": "Director de Obras",
        "company": "Proveedora Integral del Centro, S.A. de C.V.",
        "company_rfc": "PIC150505EF4",
        "percentage": 60,
    },
}

GIVEN_NAMES = ["Carlos", "Lucía", "Jorge", "Elena", "Raúl", "Sofía", "Miguel", "Patricia"]
SURNAMES = ["García", "Martínez", "Rodríguez", "Sánchez", "Ramírez", "Flores", "Cruz", "Reyes"]
COMPANY_WORDS = ["Servicios", "Suministros", "Comercializadora", "Grupo", "Ingeniería"]
COMPANY_PLACES = ["del Norte", "Peninsular", "Azteca", "del Bajío", "Integral", "Pacífico"]
LEGAL_FORMS = ["S.A. de C.V.", "S. de R.L. de C.V.", "S.C.", "SAPI DE CV", "A.C."]
ENTITIES = [
    ("Secretaría de Hacienda y Crédito Público", "SHCP", "06"),
    ("Instituto Mexicano del Seguro Social", "IMSS", "50GYR"),
    ("Secretaría de Salud", "SSA", "12"),
]

V1_PATHS = {
    ("s2", "/v1/spic"): "spic",
    ("s3", "/v1/ssancionados"): "ssancionados",
    ("s3", "/v1/psancionados"): "psancionados",
    ("s1", "/v2/declaraciones"): "declaraciones",
    ("s6", "/contrataciones-abiertas"): "contrataciones",
}
V1_REQUEST_SCHEMAS = {
    "spic": (
        "s2-servidores-intervienen-contrataciones-openapi.json",
        "#/components/schemas/reqSpic",
    ),
    "ssancionados": ("s3s-servidores-sancionados-openapi.json", "#/components/schemas/post_query"),
    "psancionados": (
        "s3p-particulares-sancionados-openapi.json",
        "#/components/schemas/reqParticularesSancionados",
    ),
    "declaraciones": (
        "s1-declaraciones-inicial-openapi.json",
        "#/components/schemas/reqDeclaraciones",
    ),
    "contrataciones": (
        "s6-contrataciones-openapi.json",
        "#/components/schemas/requestOpenContracting",
    ),
}
# What the S6 fake sells: (CUCoP key, description, unit, typical unit price in MXN).
S6_ITEMS = [
    ("25300002", "Paracetamol 500 mg, caja con 10 tabletas", "Caja", 18.0),
    ("21100001", "Papel bond tamaño carta, paquete con 500 hojas", "Paquete", 95.0),
    ("29400004", "Cartucho de tóner para impresora láser", "Pieza", 1450.0),
]
S6_STATES = ["Jalisco", "Nuevo León", "Ciudad de México", "Yucatán"]
V2_COLLECTIONS = {
    "s2": ["servidores_intervengan_procedimientos_contrataciones"],
    "s3": [
        "faltas_administrativas_graves",
        "faltas_administrativas_no_graves",
        "faltas_graves_personas_fisicas",
        "faltas_graves_personas_morales",
    ],
}
# The S2 v2 specification prints its path without /items/ and misspelled; answer that too.
S2_V2_SPEC_PATH = "/servidores_intervengan_procedientos_contrataciones"


@dataclass
class Faults:
    """Failure modes of a fake; tests switch them on and off between calls."""

    slow_seconds: float = 0.0  # delay every data answer (beyond the client's timeout = timeout)
    errors_before_success: int = 0  # the next N data requests answer 500
    fail_at_position: int | None = None  # v1 page / v2 offset from which data answers 500
    malformed: bool = False  # data answers are truncated JSON
    token_uses: int | None = None  # an access token works for N data requests, then 401
    endless: bool = False  # hasNextPage is always true (v2: total_count never reached)


def seeded(seed) -> random.Random:
    """A reproducible generator: the fakes need the same data every run, not secrecy."""
    return random.Random(seed)  # noqa: S311 - deterministic test data, not cryptography


@dataclass
class Generator:
    """Deterministic records of one system and version."""

    system: str
    version: str
    seed: int = 9
    size: int = 23
    # Records added ahead of the generated ones, by collection (the demo's planted cases).
    planted: dict[str, list[dict]] = field(default_factory=dict)
    _cache: dict[str, list[dict]] = field(default_factory=dict)

    def records(self, collection: str) -> list[dict]:
        if collection not in self._cache:
            rng = seeded(f"{self.seed}-{self.system}-{self.version}-{collection}")
            build = getattr(self, f"_{self.system}_{self.version}")
            known = self._known(collection) + self.planted.get(collection, [])
            generated = [build(collection, rng, index) for index in range(self.size - len(known))]
            self._cache[collection] = known + generated
        return self._cache[collection]

    # -- shared pieces -----------------------------------------------------------------------

    def _id(self, collection: str, index: int) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.system}/{collection}/{index}"))

    @staticmethod
    def _person(rng: random.Random) -> tuple[str, str, str]:
        return rng.choice(GIVEN_NAMES), rng.choice(SURNAMES), rng.choice(SURNAMES)

    @staticmethod
    def _rfc(rng: random.Random, letters: int = 4) -> str:
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        head = "".join(rng.choice(alphabet) for _ in range(letters))
        year, month, day = rng.randint(50, 99), rng.randint(1, 12), rng.randint(1, 28)
        tail = "".join(rng.choice(alphabet + "0123456789") for _ in range(3))
        return f"{head}{year:02d}{month:02d}{day:02d}{tail}"

    def _curp(self, rng: random.Random, rfc: str) -> str:
        return (
            f"{rfc[:10]}H{rng.choice(['DF', 'JC', 'NL'])}RRN{rng.randint(0, 9)}{rng.randint(0, 9)}"
        )

    @staticmethod
    def _company(rng: random.Random) -> str:
        words = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_PLACES)}"
        return f"{words} {rng.choice(LEGAL_FORMS)}"

    @staticmethod
    def _entity(rng: random.Random) -> tuple[str, str, str]:
        return rng.choice(ENTITIES)

    @staticmethod
    def _date(rng: random.Random, start_year: int = 2019, end_year: int = 2025) -> str:
        return (
            f"{rng.randint(start_year, end_year)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        )

    # -- S6: open contracting (OCDS releases) ------------------------------------------------

    def _s6_v1(self, collection: str, rng: random.Random, index: Any) -> dict:
        """One awarded process as the S6 answers it: a release with its buyer, supplier and the
        award's priced items (prices scattered around each item's typical price)."""
        entity, acronym, _key = self._entity(rng)
        ocid = f"ocds-pdn6mx-{index + 1:06d}"
        date = f"{self._date(rng, 2023, 2025)}T12:00:00-06:00"
        code, description, unit, typical = rng.choice(S6_ITEMS)
        price = round(typical * rng.uniform(0.8, 1.25), 2)
        quantity = rng.choice([10, 50, 100, 500])
        company, rfc = self._company(rng), self._rfc(rng, 3)
        buyer = {"id": f"MX-ENTE-{acronym}", "name": entity}
        supplier = {"id": f"MX-RFC-{rfc}", "name": company}
        return {
            "ocid": ocid,
            "id": f"{ocid}-adjudicacion",
            "date": date,
            "tag": ["award"],
            "initiationType": "tender",
            "language": "es",
            "buyer": buyer,
            "parties": [
                {**buyer, "roles": ["buyer"], "address": {"region": rng.choice(S6_STATES)}},
                {
                    **supplier,
                    "roles": ["supplier"],
                    "identifier": {"scheme": "MX-RFC", "id": rfc, "legalName": company},
                },
            ],
            "tender": {
                "id": f"{ocid}-licitacion",
                "title": f"Adquisición de {description.lower()}",
                "procurementMethod": rng.choice(["open", "selective", "direct"]),
            },
            "awards": [
                {
                    "id": f"{ocid}-adjudicacion-1",
                    "status": "active",
                    "date": date,
                    "suppliers": [supplier],
                    "value": {"amount": round(price * quantity, 2), "currency": "MXN"},
                    "items": [
                        {
                            "id": "1",
                            "description": description,
                            "classification": {"scheme": "CUCOP", "id": code},
                            "quantity": quantity,
                            "unit": {"name": unit, "value": {"amount": price, "currency": "MXN"}},
                        }
                    ],
                }
            ],
        }

    # -- known parties -----------------------------------------------------------------------

    def _known(self, collection: str) -> list[dict]:
        key = (self.system, self.version, collection)
        builders = {
            ("s3", "v1", "psancionados"): self._known_s3_company_v1,
            ("s3", "v1", "ssancionados"): self._known_s3_servant_v1,
            ("s3", "v2", "faltas_graves_personas_morales"): self._known_s3_company_v2,
            ("s2", "v1", "spic"): self._known_s2_v1,
            ("s2", "v2", V2_COLLECTIONS["s2"][0]): self._known_s2_v2,
            ("s1", "v2", "declaraciones"): self._known_s1,
        }
        return [builders[key](collection)] if key in builders else []

    def _known_s3_company_v1(self, collection: str) -> dict:
        company = KNOWN["s3_company"]
        rng = seeded(1)
        record = self._s3_v1(collection, rng, "conocido")
        record["particularSancionado"].update(
            nombreRazonSocial=company["name"], rfc=company["rfc"], tipoPersona="M"
        )
        record["inhabilitacion"] = {
            "plazo": "3 años",
            "fechaInicial": company["start"],
            "fechaFinal": company["end"],
        }
        return record

    def _known_s3_servant_v1(self, collection: str) -> dict:
        servant = KNOWN["s3_servant"]
        rng = seeded(2)
        record = self._s3_v1(collection, rng, "conocido")
        names, first, second = servant["names"]
        record["servidorPublicoSancionado"].update(
            nombres=names,
            primerApellido=first,
            segundoApellido=second,
            rfc=servant["rfc"],
            curp=servant["curp"],
        )
        record["inhabilitacion"] = {
            "plazo": "3 años",
            "fechaInicial": servant["start"],
            "fechaFinal": servant["end"],
        }
        return record

    def _known_s3_company_v2(self, collection: str) -> dict:
        company = KNOWN["s3v2_company"]
        record = self._s3_v2(collection, seeded(3), "conocido")
        record["datosGenerales"].update(nombreRazonSocial=company["name"], rfc=company["rfc"])
        record["tipoSancion"] = [
            {
                "clave": "INHABILITACION",
                "inhabilitacion": {
                    "plazoAnios": 5,
                    "plazoMeses": 0,
                    "plazoDias": 0,
                    "fechaInicial": company["start"],
                    "fechaFinal": company["end"],
                },
            }
        ]
        return record

    def _known_s2_v1(self, collection: str) -> dict:
        servant = KNOWN["s2_servant"]
        record = self._s2_v1(collection, seeded(4), "conocido")
        names, first, second = servant["names"]
        record.update(
            nombres=names,
            primerApellido=first,
            segundoApellido=second,
            rfc=servant["rfc"],
            curp=servant["curp"],
        )
        return record

    def _known_s2_v2(self, collection: str) -> dict:
        servant = KNOWN["s2v2_servant"]
        record = self._s2_v2(collection, seeded(5), "conocido")
        names, first, second = servant["names"]
        record["datosGenerales"].update(
            nombre=names,
            primerApellido=first,
            segundoApellido=second,
            rfc=servant["rfc"],
            curp=servant["curp"],
        )
        block = record["tipoContratacion"][0]["contratacionAdquisicion"]
        block["informacionPersonasBeneficiarias"] = {"razonSocial": servant["beneficiary"]}
        block["datosGeneralesProcedimientos"][0]["numeroExpedienteFolio"] = servant["file_number"]
        return record

    def _known_s1(self, collection: str) -> dict:
        person = KNOWN["s1_declarant"]
        record = self._s1_v2(collection, seeded(6), "conocido")
        situation = record["declaracion"]["situacionPatrimonial"]
        names, first, second = person["names"]
        situation["datosGenerales"].update(
            nombre=names,
            primerApellido=first,
            segundoApellido=second,
            curp=person["curp"],
            rfc={"rfc": person["rfc"][:10], "homoClave": person["rfc"][10:]},
        )
        situation["datosEmpleoCargoComision"].update(
            nombreEntePublico=person["entity"], empleoCargoComision=person["job"]
        )
        record["declaracion"]["interes"]["participacion"]["participacion"][0].update(
            nombreEmpresaSociedadAsociacion=person["company"],
            rfc=person["company_rfc"],
            porcentajeParticipacion=person["percentage"],
            tipoParticipacion={"clave": "ACCI", "valor": "ACCIONISTA"},
            tipoRelacion="DECLARANTE",
        )
        return record

    def s2_intervention(self, person: dict, file_number: str, beneficiary: str = "") -> dict:
        """An S2 v2 record: ``person`` (``names``, ``rfc``, ``curp`` as in ``KNOWN``) intervened,
        as the contracting area, in the procedure filed under ``file_number``."""
        collection = V2_COLLECTIONS["s2"][0]
        record = self._s2_v2(collection, seeded(f"intervencion-{file_number}"), file_number)
        names, first, second = person["names"]
        record["datosGenerales"].update(
            nombre=names, primerApellido=first, segundoApellido=second,
            rfc=person["rfc"], curp=person["curp"],
        )  # fmt: skip
        block = record["tipoContratacion"][0]["contratacionAdquisicion"]
        block["datosGeneralesProcedimientos"][0]["numeroExpedienteFolio"] = file_number
        if beneficiary:
            block["informacionPersonasBeneficiarias"] = {"razonSocial": beneficiary}
        return record

    # -- generated records, one builder per system and version --------------------------------

    def _s3_v1(self, collection: str, rng: random.Random, index: Any) -> dict:
        entity, acronym, key = self._entity(rng)
        record = {
            "id": self._id(collection, index),
            "fechaCaptura": f"{self._date(rng)}T10:00:00Z",
            "expediente": f"EXP-{rng.randint(100, 999)}/{rng.randint(2019, 2025)}",
            "institucionDependencia": {"nombre": entity, "siglas": acronym, "clave": key},
            "autoridadSancionadora": "Órgano Interno de Control",
            "tipoSancion": [{"clave": "I", "valor": "INHABILITADO"}],
            "causaMotivoHechos": "Incumplimiento de contrato",
            "resolucion": {"url": "https://example.org/resolucion.pdf"},
            "inhabilitacion": {
                "plazo": "1 año",
                "fechaInicial": self._date(rng, 2020, 2023),
                "fechaFinal": self._date(rng, 2024, 2027),
            },
        }
        if collection == "ssancionados":
            names, first, second = self._person(rng)
            rfc = self._rfc(rng)
            record["servidorPublicoSancionado"] = {
                "rfc": rfc,
                "curp": self._curp(rng, rfc),
                "nombres": names,
                "primerApellido": first,
                "segundoApellido": second,
                "genero": {"clave": "M", "valor": "MASCULINO"},
                "puesto": "Jefe de departamento",
            }
            record["tipoFalta"] = {
                "clave": "VPC",
                "valor": "VIOLACIÓN PROCEDIMIENTOS DE CONTRATACIÓN",
            }
            record["resolucion"]["fechaResolucion"] = self._date(rng)
        else:
            company = rng.random() < 0.7
            names = " ".join(self._person(rng))
            record["particularSancionado"] = {
                "nombreRazonSocial": self._company(rng) if company else names,
                "rfc": self._rfc(rng, 3 if company else 4),
                "tipoPersona": "M" if company else "F",
            }
            record["tipoFalta"] = "Actos u omisiones en procedimientos de contratación"
            record["resolucion"]["fechaNotificacion"] = self._date(rng)
        return record

    def _s3_v2(self, collection: str, rng: random.Random, index: Any) -> dict:
        entity, acronym, _key = self._entity(rng)
        record = {
            "id": self._id(collection, index),
            "date_created": f"{self._date(rng)}T10:00:00",
            "fecha": self._date(rng),
            "expediente": f"EXP-{rng.randint(100, 999)}/{rng.randint(2019, 2025)}",
            "entePublico": {"nombre": entity},
            "resolucion": {
                "fechaResolucion": self._date(rng),
                "autoridadResolutora": "Tribunal Federal de Justicia Administrativa",
            },
            "tipoSancion": [
                {
                    "clave": "INHABILITACION",
                    "inhabilitacion": {
                        "plazoAnios": rng.randint(1, 10),
                        "fechaInicial": self._date(rng, 2020, 2023),
                        "fechaFinal": self._date(rng, 2024, 2030),
                    },
                }
            ],
        }
        if collection == "faltas_graves_personas_morales":
            record["datosGenerales"] = {
                "nombreRazonSocial": self._company(rng),
                "rfc": self._rfc(rng, 3),
            }
        else:
            names, first, second = self._person(rng)
            rfc = self._rfc(rng)
            record["datosGenerales"] = {
                "nombres": names,
                "primerApellido": first,
                "segundoApellido": second,
                "rfc": rfc,
                "curp": self._curp(rng, rfc),
            }
            if collection != "faltas_graves_personas_fisicas":
                record["empleoCargoComision"] = {
                    "nombreEntePublico": entity,
                    "siglasEntePublico": acronym,
                    "denominacion": "Subdirector de adquisiciones",
                }
        return record

    def _s2_v1(self, collection: str, rng: random.Random, index: Any) -> dict:
        names, first, second = self._person(rng)
        entity, acronym, key = self._entity(rng)
        rfc = self._rfc(rng)
        return {
            "id": self._id(collection, index),
            "fechaCaptura": f"{self._date(rng)}T17:32:28Z",
            "ejercicioFiscal": str(rng.randint(2019, 2025)),
            "rfc": rfc,
            "curp": self._curp(rng, rfc),
            "nombres": names,
            "primerApellido": first,
            "segundoApellido": second,
            "institucionDependencia": {"nombre": entity, "siglas": acronym, "clave": key},
            "puesto": {"nombre": "Director de área", "nivel": "M33"},
            "tipoArea": [{"clave": "RC", "valor": "RESPONSABLE DE LA CONTRATACIÓN"}],
            "nivelResponsabilidad": [{"clave": "R", "valor": "RESOLUCIÓN"}],
            "tipoProcedimiento": [{"clave": 1, "valor": "CONTRATACIONES PÚBLICAS"}],
        }

    def _s2_v2(self, collection: str, rng: random.Random, index: Any) -> dict:
        names, first, second = self._person(rng)
        entity, acronym, _key = self._entity(rng)
        rfc = self._rfc(rng)
        year = rng.randint(2020, 2025)
        return {
            "id": self._id(collection, index),
            "fecha": self._date(rng),
            "ejercicio": str(year),
            "entePublico": {"nombre": entity},
            "tipoProcedimiento": "CONTRATACION_PUBLICA",
            "datosGenerales": {
                "nombre": names,
                "primerApellido": first,
                "segundoApellido": second,
                "curp": self._curp(rng, rfc),
                "rfc": rfc,
                "sexo": "HOMBRE",
            },
            "empleoCargoComision": {
                "entidadFederativa": "CIUDAD DE MÉXICO",
                "nivelOrdenGobierno": "FEDERAL",
                "ambitoPublico": "EJECUTIVO",
                "nombreEntePublico": entity,
                "siglasEntePublico": acronym,
                "nivelJerarquico": {"clave": "ENLACE_HOMOLOGO", "valor": "Enlace"},
                "denominacion": "Jefe de departamento de adquisiciones",
                "areaAdscripcion": "Dirección de Recursos Materiales",
            },
            "tipoContratacion": [
                {
                    "clave": "ADQUISICION",
                    "contratacionAdquisicion": {
                        "tipoArea": "AREA_RESPONSABLE_CONTRATACION",
                        "continuaParticipando": "SI",
                        "informacionPersonasBeneficiarias": {"razonSocial": self._company(rng)},
                        "datosGeneralesProcedimientos": [
                            {
                                "numeroExpedienteFolio": f"AA-{rng.randint(1000, 9999)}-{year}",
                                "tipoProcedimiento": "ADJUDICACION",
                                "materia": "ADQUICISION",
                                "fechaInicioProcedimiento": f"{year}-02-01",
                                "fechaConclusionProcedimiento": f"{year}-03-15",
                            }
                        ],
                    },
                    "contratacionObra": {"continuaParticipando": "NO"},
                }
            ],
            "otorgamientoConcesion": {"continuaParticipando": "NO"},
            "enajenacionBien": {"continuaParticipando": "NO"},
            "avaluosJustipreciacion": {"continuaParticipando": "NO"},
        }

    def _s1_v2(self, collection: str, rng: random.Random, index: Any) -> dict:
        names, first, second = self._person(rng)
        entity, _acronym, _key = self._entity(rng)
        rfc = self._rfc(rng)
        money = {"valor": rng.randint(20000, 90000), "moneda": "MXN"}
        return {
            "id": self._id(collection, index),
            "metadata": {
                "actualizacion": f"{self._date(rng)}T12:00:00Z",
                "institucion": entity,
                "tipo": "MODIFICACIÓN",
                "declaracionCompleta": True,
                "actualizacionConflictoInteres": False,
            },
            "declaracion": {
                "situacionPatrimonial": {
                    "datosGenerales": {
                        "nombre": names,
                        "primerApellido": first,
                        "segundoApellido": second,
                        "curp": self._curp(rng, rfc),
                        "rfc": {"rfc": rfc[:10], "homoClave": rfc[10:]},
                    },
                    "datosCurricularesDeclarante": {"escolaridad": []},
                    "datosEmpleoCargoComision": {
                        "nombreEntePublico": entity,
                        "empleoCargoComision": "Subdirector",
                        "nivelOrdenGobierno": "FEDERAL",
                        "ambitoPublico": "EJECUTIVO",
                    },
                    "experienciaLaboral": {"ninguno": True},
                    "ingresos": {
                        "remuneracionMensualCargoPublico": money,
                        "ingresoMensualNetoDeclarante": money,
                        "totalIngresosMensualesNetos": money,
                    },
                    "actividadAnualAnterior": {"servidorPublicoAnioAnterior": True},
                },
                "interes": {
                    "participacion": {
                        "ninguno": False,
                        "participacion": [
                            {
                                "tipoOperacion": "AGREGAR",
                                "tipoRelacion": rng.choice(["DECLARANTE", "PAREJA"]),
                                "nombreEmpresaSociedadAsociacion": self._company(rng),
                                "rfc": self._rfc(rng, 3),
                                "porcentajeParticipacion": rng.randint(1, 100),
                                "tipoParticipacion": {"clave": "SCIO", "valor": "SOCIO"},
                                "recibeRemuneracion": False,
                            }
                        ],
                    }
                },
            },
        }


class FakeRegistryServer(LoopbackServer):
    """A fake PDN provider for one system and version, served on 127.0.0.1."""

    def __init__(
        self,
        *,
        system: str,
        version: str,
        size: int = 23,
        seed: int = 9,
        port: int = 0,
        host: str = "127.0.0.1",
        max_limit: int | None = None,
        planted: dict[str, list[dict]] | None = None,
    ):
        self.system, self.version = system, version
        self.max_limit = max_limit  # v2: like Directus' QUERY_LIMIT_MAX, caps what limit asks
        self.generator = Generator(
            system=system, version=version, seed=seed, size=size, planted=planted or {}
        )
        self.faults = Faults()
        self.data_requests: list[dict] = []
        self.token_requests: list[dict] = []
        self._tokens: dict[str, int | None] = {}
        self._lock = threading.Lock()
        super().__init__(self._handler_class(), host=host, port=port)

    @property
    def token_url(self) -> str:
        return self.url + TOKEN_PATH

    @property
    def uses_oauth(self) -> bool:
        """S1 (whose only API is "v2") and the v1 APIs use the POST protocol with OAuth 2.0."""
        return self.system == "s1" or self.version == "v1"

    def collections(self) -> list[str]:
        if not self.uses_oauth:
            return V2_COLLECTIONS[self.system]
        return [name for (system, _path), name in V1_PATHS.items() if system == self.system]

    def provider_fields(self, *, name: str, **overrides) -> dict[str, Any]:
        """Keyword arguments for RegistryProvider pointing at this fake."""
        fields = {
            "name": name,
            "system": self.system,
            "version": self.version,
            "level": "federal",
            "supplier_name": f"Servidor de prueba {self.system.upper()} {self.version}",
            "url": self.url,
        }
        if self.uses_oauth:
            fields.update(
                token_url=self.token_url,
                username=FAKE_USERNAME,
                password=FAKE_PASSWORD,
                client_id=FAKE_CLIENT_ID,
                client_secret=FAKE_CLIENT_SECRET,
                scope="read:declaraciones" if self.system == "s1" else "",
            )
        else:
            fields["token"] = FAKE_V2_TOKEN
        fields.update(overrides)
        return fields

    # -- token endpoint ----------------------------------------------------------------------

    def issue_token(
        self, *, form: dict[str, str], basic: tuple[str, str] | None
    ) -> tuple[int, dict]:
        self.token_requests.append({"form": form, "basic": basic})
        client = basic or (form.get("client_id", ""), form.get("client_secret", ""))
        valid = (
            form.get("grant_type") == "password"
            and hmac.compare_digest(form.get("username", ""), FAKE_USERNAME)
            and hmac.compare_digest(form.get("password", ""), FAKE_PASSWORD)
            and client == (FAKE_CLIENT_ID, FAKE_CLIENT_SECRET)
        )
        if not valid:
            return 401, {"code": "401", "message": "Credenciales no válidas"}
        if self.system == "s1" and "read:declaraciones" not in form.get("scope", "").split():
            return 422, {"code": "422", "message": "Scope no válido"}
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._tokens[token] = self.faults.token_uses
        return 200, {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": 3600,
            "scope": form.get("scope", ""),
        }

    def _token_accepted(self, authorization: str) -> bool:
        token = authorization.removeprefix("Bearer ").strip()
        with self._lock:
            if token not in self._tokens:
                return False
            uses = self._tokens[token]
            if uses is not None:
                if uses <= 0:
                    return False
                self._tokens[token] = uses - 1
            return True

    # -- data --------------------------------------------------------------------------------

    def _fault_answer(self, position: int) -> tuple[int, Any] | None:
        if self.faults.slow_seconds:
            time.sleep(self.faults.slow_seconds)
        with self._lock:
            if self.faults.errors_before_success > 0:
                self.faults.errors_before_success -= 1
                return 500, {"code": "500", "message": "Error interno del servidor"}
        if self.faults.fail_at_position is not None and position >= self.faults.fail_at_position:
            return 500, {"code": "500", "message": "Error interno del servidor"}
        if self.faults.malformed:
            return 200, b'{"pagination": {"page": 1, "results": [{"id": '
        return None

    def v1_search(self, *, collection: str, body: Any, authorization: str) -> tuple[int, Any]:
        if not self._token_accepted(authorization):
            return 401, {"code": "401", "message": "No tienes permisos"}
        filename, pointer = V1_REQUEST_SCHEMAS[collection]
        problems = errors_for(filename, pointer, body) if isinstance(body, dict) else ["(raíz)"]
        page, size = (body.get("page", 1), body.get("pageSize", 10)) if not problems else (0, 0)
        if problems or not isinstance(page, int) or page < 1 or not 1 <= size <= 200:
            return 400, {"code": "400", "message": "Página inválida: " + "; ".join(problems)}
        self.data_requests.append({"collection": collection, "position": page, "size": size})
        fault = self._fault_answer(page)
        if fault:
            return fault
        records = self._filtered(collection, body.get("query") or {})
        if self.faults.endless:
            return 200, self._v1_page(records[:size], page, size, len(records), more=True)
        chunk = records[(page - 1) * size : page * size]
        return 200, self._v1_page(chunk, page, size, len(records), more=page * size < len(records))

    def _filtered(self, collection: str, query: dict) -> list[dict]:
        """Only query.id (S6: query.ocid) is honoured (with an id the other filters are ignored)."""
        records = self.generator.records(collection)
        if collection == "contrataciones" and query.get("ocid"):
            return [r for r in records if r["ocid"] == query["ocid"]]
        if query.get("id"):
            return [r for r in records if r["id"] == query["id"]]
        return records

    @staticmethod
    def _v1_page(results: list, page: int, size: int, total: int, *, more: bool) -> dict:
        return {
            "pagination": {"pageSize": size, "page": page, "totalRows": total, "hasNextPage": more},
            "results": results,
        }

    def v1_institutions(self, *, authorization: str) -> tuple[int, Any]:
        if not self._token_accepted(authorization):
            return 401, {"code": "401", "message": "No tienes permisos"}
        return 200, [
            {"nombre": name, "siglas": acronym, "clave": key} for name, acronym, key in ENTITIES
        ]

    def v2_items(self, *, collection: str, params: dict, authorization: str) -> tuple[int, Any]:
        if authorization != f"Bearer {FAKE_V2_TOKEN}":
            return 401, {"error": {"code": 401, "message": "Token no válido"}, "status": "error"}
        try:
            limit = int(params.get("limit", "10"))
            offset = int(params.get("offset", "0"))
        except ValueError:
            return 400, {
                "error": {"code": 400, "message": "limit u offset inválido"},
                "status": "error",
            }
        if self.max_limit is not None and (limit < 0 or limit > self.max_limit):
            limit = self.max_limit
        self.data_requests.append({"collection": collection, "position": offset, "size": limit})
        fault = self._fault_answer(offset)
        if fault:
            return fault
        records = self.generator.records(collection)
        if self.faults.endless:
            return 200, {
                "data": records[:limit],
                "meta": {"total_count": 10**9, "filter_count": 10**9},
            }
        chunk = records[offset:] if limit < 0 else records[offset : offset + limit]
        total = len(records)
        return 200, {"data": chunk, "meta": {"total_count": total, "filter_count": total}}

    # -- HTTP plumbing -----------------------------------------------------------------------

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):  # silence the test output
                return

            def _answer(self, status: int, payload: Any) -> None:
                body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client gave up waiting (the "slow server" fault)

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _basic(self) -> tuple[str, str] | None:
                header = self.headers.get("Authorization", "")
                if not header.startswith("Basic "):
                    return None
                decoded = base64.b64decode(header[6:]).decode()
                client_id, _sep, secret = decoded.partition(":")
                return client_id, secret

            def do_POST(self):
                path = urlsplit(self.path).path.rstrip("/")
                raw = self._body()
                if path == TOKEN_PATH and fake.uses_oauth:
                    form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                    return self._answer(*fake.issue_token(form=form, basic=self._basic()))
                collection = V1_PATHS.get((fake.system, path))
                if collection is None or not fake.uses_oauth:
                    return self._answer(404, {"code": "404", "message": "No existe"})
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    return self._answer(400, {"code": "400", "message": "JSON inválido"})
                auth = self.headers.get("Authorization", "")
                return self._answer(
                    *fake.v1_search(collection=collection, body=body, authorization=auth)
                )

            def do_GET(self):
                parts = urlsplit(self.path)
                path = parts.path.rstrip("/")
                auth = self.headers.get("Authorization", "")
                catalogue = path.removesuffix("/dependencias")
                if fake.uses_oauth and catalogue != path and V1_PATHS.get((fake.system, catalogue)):
                    return self._answer(*fake.v1_institutions(authorization=auth))
                params = {k: v[0] for k, v in parse_qs(parts.query).items()}
                collection = path.removeprefix("/items/")
                if fake.system == "s2" and collection in (S2_V2_SPEC_PATH, S2_V2_SPEC_PATH[1:]):
                    collection = V2_COLLECTIONS["s2"][0]
                if not fake.uses_oauth and collection in V2_COLLECTIONS.get(fake.system, []):
                    return self._answer(
                        *fake.v2_items(collection=collection, params=params, authorization=auth)
                    )
                return self._answer(404, {"code": "404", "message": "No existe"})

        return Handler


DEMO_BASE_PORT = 8791
# One fake per system and version, on DEMO_BASE_PORT + its position in this list.
DEMO_SYSTEMS = (("s1", "v2"), ("s2", "v1"), ("s2", "v2"), ("s3", "v1"), ("s3", "v2"))


def demo_port(*, system: str, version: str, base_port: int = DEMO_BASE_PORT) -> int:
    """The fixed port of a demo fake; 0 when base_port is 0 (any free port)."""
    return base_port and base_port + DEMO_SYSTEMS.index((system, version))


def demo_servers(
    *,
    host: str = "127.0.0.1",
    base_port: int = DEMO_BASE_PORT,
    size: int = 60,
    planted: dict[tuple[str, str], dict[str, list[dict]]] | None = None,
) -> list[FakeRegistryServer]:
    """One fake per system and version on the demo ports (not started); ``planted`` adds records
    by (system, version) and collection (devtools/demo_alerts.py)."""
    planted = planted or {}
    return [
        FakeRegistryServer(
            system=system,
            version=version,
            port=demo_port(system=system, version=version, base_port=base_port),
            host=host,
            size=size,
            planted=planted.get((system, version)),
        )
        for system, version in DEMO_SYSTEMS
    ]
