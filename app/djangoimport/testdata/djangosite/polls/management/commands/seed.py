"""Fills the schema this process works in (DJANGO_SCHEMA) from JSON on
standard input, through Django's own ORM and commands, so that every row, and
every password hash, is the one Django itself makes.

In public: {"clients": [{"schema", "name", "paid_until", "on_trial", "domains"}]}
In a tenant: {"superuser": {"username", "email", "password"},
              "users": [{"username", "email", "password", "hasher", "first_name",
                         "staff", "unusable"}],
              "questions": [{"text", "days_ago", "choices": [[text, votes], ...]}],
              "sessions": N}
"""
import datetime
import json
import os
import sys

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from polls.models import Choice, Question


class Command(BaseCommand):
    help = "Fill this schema from JSON on standard input."

    def handle(self, *args, **options):
        data = json.load(sys.stdin)
        for c in data.get("clients", []):
            self.add_client(c)
        if "superuser" in data:
            su = data["superuser"]
            os.environ["DJANGO_SUPERUSER_PASSWORD"] = su["password"]
            call_command("createsuperuser", interactive=False, username=su["username"], email=su["email"], verbosity=0)
        for u in data.get("users", []):
            self.add_user(u)
        author = User.objects.order_by("id").first()
        for q in data.get("questions", []):
            self.add_question(q, author)
        for _ in range(data.get("sessions", 0)):
            s = SessionStore()
            s["_auth_user_id"] = str(author.pk)
            s.create()

    def add_client(self, c):
        Client = apps.get_model("customers", "Client")
        fields = dict(schema_name=c["schema"], name=c["name"], paid_until=c["paid_until"], on_trial=c["on_trial"])
        if settings.FLAVOR == "tenant-schemas":
            Client(domain_url=c["domains"][0], **fields).save()
            return
        client = Client(**fields)
        client.save()
        Domain = apps.get_model("customers", "Domain")
        for i, d in enumerate(c["domains"]):
            Domain(domain=d, tenant=client, is_primary=(i == 0)).save()

    def add_user(self, u):
        user = User.objects.create_user(u["username"], u.get("email", ""), u["password"],
                                        first_name=u.get("first_name", ""), is_staff=u.get("staff", False))
        if u.get("hasher"):
            user.password = make_password(u["password"], hasher=u["hasher"])
        if u.get("unusable"):
            user.set_unusable_password()
        user.save()

    def add_question(self, q, author):
        question = Question.objects.create(
            question_text=q["text"], pub_date=timezone.now() - datetime.timedelta(days=q.get("days_ago", 0)))
        for text, votes in q.get("choices", []):
            Choice.objects.create(question=question, choice_text=text, votes=votes)
        ct = ContentType.objects.get_for_model(Question)
        LogEntry.objects.log_action(author.pk, ct.pk, question.pk, str(question), ADDITION, [{"added": {}}])
        LogEntry.objects.log_action(author.pk, ct.pk, question.pk, str(question), CHANGE,
                                    [{"changed": {"fields": ["Question text"]}}])
