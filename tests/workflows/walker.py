"""Drive the staff screens over HTTP as people would: create, start, capture, approve, return."""

from django.test import Client

from workflows.forms.forms_engine import CaptureContext, data_from_values
from workflows.processes.process_models import ContractingProcess, StageProcess
from workflows.processes.process_services import active_task


class Walker:
    """One browser session per person (a Django test Client logged in as them)."""

    def __init__(self, world):
        self.world = world
        self.clients = {}

    def as_(self, who) -> Client:
        if who not in self.clients:
            client = Client()
            client.force_login(self.world[who])
            self.clients[who] = client
        return self.clients[who]

    def create(self, who, procedure_type, title="Paracetamol para unidades médicas"):
        response = self.as_(who).post(
            "/tramite/procesos/nuevo/",
            {
                "unit": self.world["unit"].pk,
                "title": title,
                "description": "Compra de analgésicos.",
                "main_procurement_category": "goods",
                "procedure_type": procedure_type,
                "fiscal_year": "2026",
                # «Partidas presupuestales» are rows (issue 16, item 7).
                "presupuesto-TOTAL_FORMS": "1",
                "presupuesto-INITIAL_FORMS": "0",
                "presupuesto-0-clave": "25301",
                "presupuesto-0-descripcion": "Medicinas",
                "presupuesto-0-monto": "250000",
            },
        )
        assert response.status_code == 302, response.content.decode()[-2000:]
        return ContractingProcess.objects.latest("pk")

    def run(self, process, stage) -> StageProcess:
        return StageProcess.objects.filter(contracting_process=process, stage=stage).latest("pk")

    def start(self, who, process, stage):
        response = self.as_(who).post(f"/tramite/procesos/{process.pk}/iniciar/", {"stage": stage})
        assert response.status_code == 302
        assert "/tramite/tareas/" in response.url, response.url
        return self.run(process, stage)

    def form_data(self, process, run, values, action):
        context = CaptureContext(procedure_type=process.procedure_type)
        data = data_from_values(run.stage_draft.version, values, context=context)
        data["accion"] = action
        return data

    def capture(self, who, process, stage, values, *, expect=302):
        run = self.run(process, stage)
        task = active_task(run)
        response = self.as_(who).post(
            f"/tramite/tareas/{task.pk}/", self.form_data(process, run, values, "enviar")
        )
        assert response.status_code == expect, response.content.decode()[-3000:]
        return response

    def decide(self, who, process, stage, *, action="aprobar", reason="", expect=302):
        task = active_task(self.run(process, stage))
        response = self.as_(who).post(
            f"/tramite/tareas/{task.pk}/", {"accion": action, "motivo": reason}
        )
        assert response.status_code == expect, response.content.decode()[-3000:]
        return response

    def stage(self, process, stage, values, *, capturista="capturista", aprobador="aprobador"):
        """Start (unless planning), capture and approve one stage."""
        if stage != "planning":
            self.start(capturista, process, stage)
        self.capture(capturista, process, stage, values)
        self.decide(aprobador, process, stage)
