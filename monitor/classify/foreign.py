"""Posts in Spanish, French, German and Portuguese, classified in their own language: the
five labels of the rubric, a topic with its evidence, reasons a reviewer reads in English,
and a negativity and urgency for the priority formula (English VADER and cues cannot read them).

Pure and deterministic, and it never raises on any str: per-language lexicons (requests,
concrete open problems, venting, praise, questions, resolutions, urgency, topic words)
matched on lower-cased, accent-folded word tokens, with multi-word phrases (a "_" in a phrase
skips up to three words), negation, German compound heads and cheap sarcasm rules. The tables
are built once at import into read-only maps. It must not import VADER, another classifier
or any other component; it decides nothing about English posts.

Most of the file is data (about 3,500 lexicon entries, `lexicon_sizes()`); the logic is the
last few hundred lines. Lexicon entries are written as a reader spells them, accents kept
(they are shown in the reasons); matching folds accents, so "pesimo" finds "pésimo".
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeVar

from monitor.model import TOPICS, Label
from monitor.text import straight_quotes

__all__ = ["LANGUAGES", "MAX_CHARS", "ForeignResult", "classify_foreign", "lexicon_sizes"]

LANGUAGES: frozenset[str] = frozenset({"es", "fr", "de", "pt"})
MAX_CHARS = 4000
"""Longer texts are classified on their first MAX_CHARS characters."""
MAX_REASONS = 5


@dataclass(frozen=True, slots=True)
class ForeignResult:
    """A post's label and why. `negativity` (0..1, 0 = calm) stands in for VADER's negative
    compound in the priority formula; `urgency` counts urgency cues like the English rules."""

    label: Label
    confidence: float
    reasons: tuple[str, ...]
    topic: str
    evidence: tuple[str, ...]
    negativity: float
    urgency: float


# Cue kinds.
ASK = 0  # asks for something only a problem explains: refund, replacement, "where is my order"
HELP = 1  # asks for help, contact, a return or a cancellation (a question when nothing is wrong)
SOFT = 2  # wants, needs, please
PROBLEM = 3  # a problem: concrete open faults weigh 2, vaguer ones 1
PAST = 4  # a bad experience that is over: arrived late, was kept waiting
VENT = 5  # judgement, insults, "never again", sarcastic thanks
PRAISE = 6
THANKS = 7  # praise that negation does not flip ("no, gracias")
QUESTION = 8
RESOLVED = 9  # the problem is over: fixed, arrived at last, refunded
URGENT = 10
OPEN = 11  # still, again, for days
HELPME = 12  # a plain "help!": a fix-request unless it comes with a how-to question
SKIP = 13  # greeting phrases ("buenos días", "bom dia"): consumed, never a cue
CONCRETE = 1.5  # problem cues at least this heavy are open faults on their own

_T = TypeVar("_T")
_Spec = tuple[tuple[int, float, str, str], ...]  # (kind, weight, gloss, "entry|entry|...")

_ES: _Spec = (
    (ASK, 2.0, "asks for a refund", "reembolso|reembolsos|reembolsar|reembolsen|reembólsenme|"
     "reembolsarme|rembolso|reenbolso|reembolzo|reintegro|reintegren|devuélvanme el dinero|"
     "devuelvan mi dinero|devuelvan el dinero|devolverme el dinero|devolución del dinero|"
     "devolución de mi dinero|quiero mi dinero|mi dinero de vuelta|que me devuelvan|abonen"),
    (ASK, 2.0, "asks for a replacement", "reemplazo|reemplazar|reemplácenlo|sustitución|"
     "sustituyan|que me lo cambien|que me la cambien|cambien el producto|otro nuevo|otra nueva|"
     "reposición|repongan"),
    (ASK, 2.0, "asks for compensation", "compensación|compensen|indemnización|indemnicen"),
    (ASK, 1.5, "asks for a fix", "arreglen|arréglenlo|arreglenlo|solucionen|soluciónenlo|"
     "resuelvan|reparen|reparación|una solución|den una solución|que lo arreglen|"
     "que lo solucionen|anulen el cobro|quiten el cargo|cancelen el cargo"),
    (ASK, 2.0, "asks where their order is", "dónde está mi|donde esta mi|dónde están mis|"
     "dónde está el pedido|dónde está el paquete|dónde anda mi|qué pasa con mi|"
     "qué pasó con mi|que paso con mi|qué onda con mi|qué hay de mi"),
    (HELPME, 1.2, "asks for help", "ayuda|ayúdenme|ayudenme|ayúdame|ayudame|ayudarme|"
     "me pueden ayudar|me podéis ayudar|me podrían ayudar|me ayudan|me ayudas|socorro|"
     "auxilio|asistencia|necesito ayuda"),
    (HELP, 1.0, "asks for contact", "contáctenme|contactenme|llámenme|llamenme|escríbanme|"
     "respóndanme|respondanme|respondan|contesten|md|dm|mensaje privado|por privado|"
     "alguna novedad|novedades|me informen|infórmenme"),
    (HELP, 0.9, "asks for a return or cancellation", "devolución|devolucion|devolver|"
     "cancelar|cancelen|darme de baja|dar de baja|anular"),
    (HELP, 1.0, "invokes the warranty", "garantía|garantia|en garantía"),
    (SOFT, 0.6, "states a want or need", "quiero|quisiera|necesito|necesitamos|por favor|"
     "porfa|porfavor|xfa|x favor|pueden|podrían|podrian|podéis|me gustaría"),
    (PROBLEM, 2.0, "not arrived", "no ha llegado|no han llegado|no llegó|no llego|no llega|"
     "no llegan|nunca llegó|nunca llego|no _ llegado|no _ llegó|no _ llega|sin llegar|"
     "no he recibido|no recibí|no recibi|nunca recibí|no _ recibido|no _ recibí|"
     "no _ entregado|no entregaron|no han entregado|dice entregado|aparece como entregado|"
     "marcado como entregado|sigue sin llegar|sigo esperando|seguimos esperando|"
     "llevo _ esperando|no he resivido|todavía no llega|aún no llega|y nada|y todavía nada|"
     "y aún nada|ni rastro|sin noticias|no vino|no vinieron|no ha venido|nunca vino|"
     "no se presentó|no aparece|no aparecen|nadie me llama|no me llaman|no me han llamado|"
     "minutos esperando|me cuelgan|me colgaron|me han colgado"),
    (PROBLEM, 2.0, "charge not recognised", "no reconozco|no reconocemos|no he autorizado|"
     "no autoricé|que no hice|que no he hecho|no he pedido|nunca pedí"),
    (PROBLEM, 2.0, "stopped working or gone", "dejó de|ha dejado de|deja de|no suena|no se oye|"
     "no se escucha|no se conecta|no se conectan|desaparecido|desapareció|ha desaparecido"),
    (PROBLEM, 2.0, "done without consent", "sin pedirlo|sin pedir|sin avisar|sin autorización|"
     "sin mi permiso|sin consentimiento|aunque me di de baja|después de darme de baja|"
     "a pesar de darme de baja"),
    (PROBLEM, 1.0, "charged too much", "el doble|viene el doble|doble|el triple"),
    (PROBLEM, 0.8, "something contradicts", "aunque|pese a|a pesar de|sin embargo"),
    (HELPME, 1.2, "asks for a person", "hablar con alguien|hablar con una persona|"
     "hablar con un agente|hablar con un humano|hablar con un responsable"),
    (VENT, 1.5, "leaving", "me doy de baja|me cambio de compañía|he cambiado de compañía|"
     "me voy a la competencia|me paso a|me cambio a|adiós para siempre"),
    (VENT, 1.0, "price rise", "suben los precios|suben el precio|subida de precio|"
     "cada vez más caro|cada vez más caros|cada año más caro"),
    (VENT, 2.0, "useless", "no sirve para nada|no sirven para nada|no valen para nada"),
    (PROBLEM, 1.0, "still pending", "en preparación|en proceso|pendiente|en tránsito|"
     "sin enviar|sin actualizar|parado|atascado|atascada"),
    (PROBLEM, 2.0, "declined", "me rechaza|me rechazan|rechaza la|rechaza el|rechaza mis|"
     "rechaza las|rechazada|rechazado|rechazan mi|me la rechazan"),
    (PROBLEM, 2.0, "restarts or shuts by itself", "se cierra sola|se cierra solo|"
     "se cierran solas|se reinicia sola|se reinicia solo|se apaga sola|se apaga solo"),
    (PROBLEM, 2.0, "out of sync", "no está sincronizado|no esta sincronizado|desincronizado|"
     "desincronizada|desfasado|desfase"),
    (PROBLEM, 2.0, "not working", "no funciona|no funcionan|no _ funciona|dejó de funcionar|"
     "dejo de funcionar|deja de funcionar|funciona mal|llegó con _ de retraso|no anda|"
     "no sirve|no carga|no enciende|"
     "no prende|no abre|no responde|no conecta|se cae|se cayó|se cuelga|se traba|se congela|"
     "está caído|esta caido|está caída|sin servicio|sin internet|sin luz|sin señal|"
     "sin conexión|sin línea|fuera de servicio|no tengo internet|no tengo luz|no tengo señal|"
     "no tengo línea|no tengo servicio|no tengo conexión|no hay internet|no hay luz|"
     "no hay señal|no hay conexión|se cayó la app|no puedo pagar"),
    (PROBLEM, 2.0, "broken or damaged", "roto|rota|rotos|rotas|dañado|dañada|dañados|"
     "estropeado|estropeada|averiado|averiada|defectuoso|defectuosa|descompuesto|"
     "descompuesta|rajado|rajada|en mal estado|quebrado|quebrada|vino roto|llegó roto"),
    (HELP, 1.0, "asks for a fix", "solucionar|solucionarlo|arreglar|arreglarlo|reparar"),
    (PROBLEM, 2.0, "charged wrongly", "cobrado dos veces|cobraron dos veces|cobro doble|"
     "doble cobro|me cobraron dos veces|me han cobrado dos veces|me cobraron de más|"
     "cargo doble|doble cargo|cobraron de más|cobrado de más|cobro indebido|"
     "cargo indebido|cobro no autorizado|cargo no reconocido|me siguen cobrando|"
     "siguen cobrando|me están cobrando|cobro duplicado|cargo duplicado"),
    (PROBLEM, 2.0, "lost or missing", "perdieron|se perdió|se perdio|extraviado|extraviada|"
     "extraviaron|me falta|me faltan|faltó|faltaron|incompleto|incompleta|vino incompleto|"
     "producto equivocado|pedido equivocado|talla equivocada|me enviaron otro|"
     "me mandaron otro|no es lo que pedí|perder mi|perdido mi|robaron"),
    (PROBLEM, 2.0, "account locked or no access", "no puedo entrar|no puedo acceder|"
     "no puedo iniciar sesión|no me deja entrar|no me deja|no me dejan|cuenta bloqueada|"
     "bloquearon mi cuenta|me bloquearon|me hackearon|hackeada|hackeado|cuenta suspendida|"
     "suspendieron mi cuenta"),
    (PROBLEM, 2.0, "no answer, still open", "sin resolver|sin solución|sin respuesta|"
     "sigue sin|siguen sin|nadie me responde|nadie responde|nadie contesta|nadie me contesta|"
     "nadie me ayuda|nadie me atiende|no contestan|no responden|no me contestan|"
     "no me responden|no me atienden|en espera|horas esperando|días esperando|"
     "vuelo cancelado|cancelaron mi vuelo|cancelaron el vuelo|no me han devuelto|"
     "no me devolvieron|no me ha llegado el reembolso"),
    (PROBLEM, 1.0, "reports a problem", "problema|problemas|error|errores|fallo|fallos|falla|"
     "fallas|no puedo|no sé qué hacer|incidencia|avería|averia|retraso|retrasado|retrasada|"
     "demora|tarda|"
     "tardan|lento|lenta|cancelado|cancelada|equivocado|equivocada|mal cobrado|perdido|"
     "perdida|me cobraron|me han cobrado|reclamación|reclamo|falta|faltan"),
    (PAST, 1.0, "a bad experience, over", "llegó tarde|llego tarde|tardó|tardaron|"
     "me hicieron esperar|me tuvieron esperando|me atendieron mal|me trataron mal|"
     "la última vez|fue horrible|fue un desastre|la peor experiencia"),
    (VENT, 2.0, "never again", "nunca más|nunca jamás|no vuelvo|no volveré|no vuelvo a comprar|"
     "jamás vuelvo|nunca mas|nuncamas|no los recomiendo|no recomiendo|no se lo recomiendo"),
    (VENT, 2.0, "strong frustration", "pésimo|pésima|pésimos|pésimas|vergüenza|qué vergüenza|"
     "vergonzoso|vergonzosa|lamentable|horrible|horribles|terrible|terribles|asco|qué asco|"
     "asqueroso|basura|porquería|mierda|una mierda|estafa|estafadores|ladrones|sinvergüenzas|"
     "inútiles|inútil|incompetentes|incompetencia|indignante|indignado|indignada|harto|harta|"
     "hartos|hasta las narices|penoso|patético|patética|desastre|un desastre|fatal|"
     "malísimo|malísima|el peor|la peor|lo peor|los peores|decepcionado|decepcionada|decepción|"
     "decepcionante|inaceptable|ridículo|ridícula|de risa|no tienen vergüenza|chapuza|timo|"
     "timadores|abusivo|abusivos|abuso|un robo|robo|carísimo|demasiado caro|gracias por nada|"
     "muchas gracias por nada|cutre|joder|hostia|cabreado|cabreada|furioso|furiosa|"
     "qué mal servicio|mal servicio|mala atención|muy mal|qué mal|siempre lo mismo|"
     "esto es una broma|tomadura de pelo|me tienen harto|cansado de|cansada de|siempre igual|"
     "no aprenden|nunca aprenden|no tienen remedio|de chiste|vaya tela|una vergüenza|"
     "impresentable|tercermundista|cada vez peor|cada día peor|inexistente|tan lento|"
     "tan lenta|nunca he visto|os habéis lucido|se han lucido|falta de respeto|"
     "sin vergüenza|maleducado|maleducada|maleducados|borde|bordes|grosero|grosera"),
    (VENT, 1.0, "judgement", "malo|mala|malos|malas|caro|caros|no me gusta|no me gustó|"
     "como siempre|otra vez|típico|puta|coño|vaya servicio|peor|triste|molesto|molesta|"
     "enfadado|enfadada|absurdo|absurda|no entiendo cómo"),
    (THANKS, 1.5, "thanks", "gracias|muchas gracias|mil gracias|muchísimas gracias|graciass|"
     "grax|grcs|agradecido|agradecida|agradezco|se agradece|gracias por todo"),
    (PRAISE, 1.5, "praise", "encanta|me encanta|me encantó|encantó|encantada|encantado|genial|"
     "geniales|excelente|excelentes|increíble|increíbles|maravilloso|maravillosa|perfecto|"
     "perfecta|fantástico|fantástica|estupendo|estupenda|buenísimo|buenísima|muy bueno|"
     "muy buena|qué bueno|buen servicio|buena atención|gran servicio|felicidades|"
     "felicitaciones|enhorabuena|los amo|los quiero|lo recomiendo|los recomiendo|recomendable|"
     "muy recomendable|de lujo|espectacular|impecable|chulísimo|de diez|lo mejor|el mejor|"
     "la mejor|sois los mejores|son los mejores|un crack|cracks|top"),
    (PRAISE, 0.5, "praise", "rápido|rápida|rápidos|bueno|buena|bien"),
    (PRAISE, 1.0, "praise", "me gusta|me gustó|me gustan|nos gusta|nos gustó"),
    (PRAISE, 1.0, "praise", "amable|amables|atentos|atento|atenta|rapidísimo|envío rápido|"
     "contento|contenta|feliz|satisfecho|satisfecha|mola|chulo|precioso|preciosa|amo|"
     "buenazo|bien hecho|muy bien|todo perfecto|rico|rica|qué rico|delicioso|deliciosa|"
     "riquísimo|riquísima|volveremos|volveré|repetiremos|una pasada|brutal|guapísimo|"
     "bien atendido|bien atendida|gran trabajo|buen trabajo|majos|majísimos|un placer"),
    (QUESTION, 1.0, "asks a question", "alguien sabe|saben si|sabéis si|me pueden decir|"
     "me podrían decir|me podrían informar|quería saber|quisiera saber|me gustaría saber|"
     "una pregunta|una duda|tengo una duda|consulta|pregunta|se puede|es posible|"
     "a qué hora|por qué|cuánto cuesta|cuánto tarda|hay alguna|hay algún|tienen|hacen envíos"),
    (SOFT, 0.6, "states a want or need", "tienen que|deberían|deben|gracias de antemano|"
     "gracias por adelantado|gracias anticipadas|espero respuesta|espero su respuesta"),
    (RESOLVED, 1.5, "resolved", "ya llegó|ya llego|ya me llegó|por fin llegó|al fin llegó|"
     "ya funciona|vuelve a funcionar|volvió a funcionar|ya está solucionado|solucionado|"
     "solucionada|resuelto|resuelta|arreglado|arreglada|ya lo arreglaron|ya lo solucionaron|"
     "solucionaron mi problema|resolvieron mi problema|problema resuelto|problema solucionado|"
     "me devolvieron el dinero|ya me devolvieron|recibí el reembolso|todo solucionado|"
     "me lo devolvieron|me la devolvieron|me devolvieron|me han devuelto|me reembolsaron|"
     "ya me han devuelto|ya me reembolsaron|me han reembolsado"),
    (RESOLVED, 1.0, "resolved", "por fin|al fin|ya recibí|todo bien|todo ok"),
    (URGENT, 1.0, "urgent", "urgente|urgentemente|urgencia|cuanto antes|lo antes posible|"
     "inmediatamente|ya mismo|hoy mismo|ahora mismo|de inmediato|emergencia|es urgente|"
     "desesperado|desesperada|asap"),
    (URGENT, 0.5, "soon", "hoy|mañana|esta noche"),
    (OPEN, 1.0, "still going on", "todavía|aún|sigue|siguen|sigo|continúa|de nuevo|"
     "hace días|hace una semana|hace semanas|desde hace|llevo"),
    (SKIP, 0.0, "", "buenos días|buenas tardes|buenas noches|buen día|buenas|hola buenas|"
     "saludos cordiales|un saludo|feliz día|buen finde|no pasa nada|sin problema|"
     "ningún problema|no hay problema|mandado un mensaje|enviado un mensaje|mandado un dm|"
     "enviado un dm|mandado md|enviado md|escrito por privado|mandado un privado|"
     "os escribo por privado|te escribo por privado|ya os escribí|ya les escribí"),
)

_FR: _Spec = (
    (ASK, 2.0, "asks for a refund", "remboursement|rembourser|remboursez|remboursez moi|"
     "me rembourser|rembourssement|remboursemment|rendez moi mon argent|mon argent|"
     "récupérer mon argent|un avoir"),
    (ASK, 2.0, "asks for a replacement", "remplacement|remplacer|remplacez|renvoyer un|"
     "en renvoyer un|nouvel envoi|renvoi|un nouveau colis|un échange"),
    (ASK, 2.0, "asks for compensation", "dédommagement|dédommager|indemnisation|indemniser|"
     "compensation|geste commercial"),
    (ASK, 1.5, "asks for a fix", "réparation|réparer|réparez|régler le problème|"
     "résoudre le problème|résoudre|réglez|corriger|corrigez|une solution|trouver une solution|"
     "annuler le prélèvement|annulez le prélèvement"),
    (ASK, 2.0, "asks where their order is", "où est ma|où est mon|où sont mes|ou est ma|"
     "ou est mon|ou sont mes|où en est ma|où en est mon|où en est la|ou en est ma|"
     "ou en est mon|qu est devenu mon|qu est devenue ma"),
    (HELPME, 1.2, "asks for help", "aide|aidez moi|aidez nous|aider|m aider|au secours|"
     "assistance|besoin d aide|pouvez vous m aider|vous pouvez m aider|svp aide"),
    (HELP, 1.0, "asks for contact", "contactez moi|contactez nous|rappelez moi|appelez moi|"
     "répondez|répondez moi|répondre|me répondre|mp|message privé|en privé|dm|des nouvelles|"
     "tenez moi au courant"),
    (HELP, 0.9, "asks for a return or cancellation", "annuler|annulez|résilier|résiliation|"
     "désabonner|me désabonner|retourner|un retour"),
    (HELP, 1.0, "invokes the warranty", "garantie|sous garantie"),
    (SOFT, 0.6, "states a want or need", "je veux|je voudrais|j ai besoin|besoin|il faut|"
     "s il vous plaît|s il vous plait|sil vous plait|svp|stp|s il te plaît|pouvez vous|"
     "pourriez vous|vous pouvez|merci de|j aimerais|je souhaite|je souhaiterais|"
     "merci d avance|merci par avance|d avance merci|en attente de votre réponse"),
    (PROBLEM, 2.0, "not arrived", "pas reçu|pas recu|jamais reçu|toujours pas reçu|"
     "pas encore reçu|non reçu|pas arrivé|pas arrivée|jamais arrivé|jamais arrivée|"
     "pas été livré|pas été livrée|pas livré|pas livrée|jamais livré|non livré|non livrée|"
     "toujours rien|pas encore arrivé|arrive pas|arrivera jamais|indiqué comme livré|"
     "marqué comme livré|noté livré|soi disant livré|j attends toujours|attends toujours|"
     "j attends depuis|toujours en attente|en attente depuis|pas recue|pas recus"),
    (PROBLEM, 2.0, "declined", "refusée|refusé|refusées|refusés|rejetée|rejeté"),
    (PROBLEM, 2.0, "restarts or shuts by itself", "redémarre tout seul|redémarre toute seule|"
     "redemarre seul|redemarre tout seul|se ferme tout seul|se ferme toute seule|"
     "s éteint tout seul"),
    (PROBLEM, 2.0, "out of sync", "pas synchronisés|pas synchronisé|pas synchro|"
     "désynchronisé|décalage"),
    (PROBLEM, 2.0, "not working", "marche pas|marche plus|fonctionne pas|fonctionne plus|"
     "fonctionnent pas|en panne|panne|bug|bugue|beug|beugue|plante|crash|crashe|charge pas|"
     "s allume pas|s allume plus|démarre pas|marche mal|fonctionne mal|hors service|"
     "coupure|coupé|pas de connexion|pas d internet|plus d internet|plus de réseau|"
     "pas de réseau|sans internet|pas internet|plus internet|plus de wifi|pas de wifi|"
     "plus de télé|plus de tv|pas de tonalité|sans réseau|plus de connexion|impossible de|"
     "arrive pas à|j arrive pas|n arrive pas|peux pas me connecter|plus accès|pas accès"),
    (PROBLEM, 1.5, "cannot reach anyone", "raccroche|raccroché|on me raccroche|raccroché au nez|"
     "injoignable|impossible à joindre|impossible de vous joindre|pas moyen de|"
     "personne ne rappelle|jamais rappelé|toujours pas rappelé"),
    (PROBLEM, 2.0, "not received or not recognised", "rien reçu|toujours rien reçu|"
     "je ne reconnais pas|reconnais pas|pas autorisé|je n ai pas fait|jamais commandé|"
     "pas commandé"),
    (PROBLEM, 2.0, "stopped working or never came", "connecte plus|connectent plus|"
     "se connecte pas|se connectent pas|a arrêté de|arrête de fonctionner|a cessé de|cesse de|"
     "personne n est venu|personne est venu|pas venu|jamais venu|n est pas passé|"
     "jamais passé|disparu|disparue|ça fait _ que j attends|que j attends"),
    (PROBLEM, 2.0, "done without consent", "sans prévenir|sans mon accord|sans autorisation|"
     "sans mon consentement|alors que j ai résilié|après résiliation|malgré la résiliation"),
    (PROBLEM, 0.8, "something contradicts", "alors que|bien que|malgré|pourtant"),
    (HELPME, 1.2, "asks for a person", "parler à quelqu un|parler à un conseiller|"
     "parler à un humain|parler à une personne|peut m aider|quelqu un peut m aider"),
    (VENT, 1.5, "leaving", "je résilie|je vais résilier|je me désabonne|je pars à la concurrence|"
     "je change d opérateur|je change de banque|adieu"),
    (VENT, 1.0, "price rise", "hausse de prix|hausse des prix|augmentation|augmenté|"
     "de plus en plus cher|encore plus cher"),
    (VENT, 2.0, "useless", "ne sert à rien|sert à rien|servent à rien|les pires|pires|"
     "n avez honte de rien|aucune honte"),
    (PROBLEM, 1.0, "still pending", "en préparation|en cours de préparation|en cours de traitement|"
     "en cours d acheminement|pas bougé|n a pas bougé|coincé|coincée"),
    (PROBLEM, 2.0, "broken or damaged", "cassé|cassée|cassés|cassées|abîmé|abîmée|abimé|"
     "endommagé|endommagée|défectueux|défectueuse|fissuré|fissurée|troué|arrivé cassé"),
    (PROBLEM, 2.0, "charged wrongly", "prélevé deux fois|débité deux fois|facturé deux fois|"
     "payé deux fois|double prélèvement|double débit|double facturation|"
     "prélèvement non autorisé|prélèvement abusif|facturé à tort|prélevé à tort|trop perçu|"
     "trop facturé|surfacturé|surfacturation|toujours prélevé|continuez à prélever|"
     "pas été remboursé|pas été remboursée|toujours pas remboursé|jamais remboursé"),
    (PROBLEM, 2.0, "lost or missing", "perdu|perdue|perdus|égaré|égarée|manquant|manquante|"
     "il manque|manque|incomplet|incomplète|erreur de commande|mauvais article|"
     "mauvais produit|pas le bon|mauvaise taille|volé"),
    (VENT, 2.0, "strong frustration", "manque de respect|manque de professionnalisme|"
     "aucun respect"),
    (PROBLEM, 2.0, "account locked or no access", "compte bloqué|compte piraté|compte suspendu|"
     "piraté|piratée|bloqué|bloquée|suspendu|suspendue"),
    (PROBLEM, 2.0, "no answer, still open", "aucune réponse|pas de réponse|sans réponse|"
     "personne ne répond|personne répond|pas de nouvelles|aucune nouvelle|toujours pas|"
     "pas résolu|toujours bloqué|vol annulé|annulé mon vol|en attente|sans solution|"
     "personne ne m aide|vous répondez pas"),
    (PROBLEM, 1.0, "reports a problem", "problème|problèmes|probleme|souci|soucis|erreur|"
     "erreurs|retard|en retard|annulé|annulée|peux pas|peut pas|pas possible|lent|lente|"
     "facturé|prélevé|débité|réclamation"),
    (PAST, 1.0, "a bad experience, over", "arrivé en retard|livré en retard|livré avec _ de retard|"
     "arrivé avec _ de retard|livrée avec _ de retard|j ai attendu|"
     "on a attendu|la dernière fois|mal reçu|mal accueilli|mal accueillie|été mal reçu"),
    (VENT, 2.0, "never again", "jamais plus|plus jamais|jamais de la vie|plus jamais chez|"
     "je vous déconseille|déconseille|à fuir|fuyez|je ne recommande pas|recommande pas"),
    (VENT, 2.0, "strong frustration", "nul|nulle|nuls|c est nul|honteux|honteuse|la honte|"
     "quelle honte|honte|scandaleux|scandaleuse|scandale|inadmissible|inacceptable|lamentable|"
     "pitoyable|catastrophique|catastrophe|déplorable|minable|escrocs|escroquerie|arnaque|"
     "arnaqueurs|voleurs|incompétents|incompétence|incapables|dégoûté|dégoûtée|déçu|déçue|"
     "décevant|décevante|déception|marre|ras le bol|en ai marre|furieux|furieuse|horrible|"
     "affreux|épouvantable|merde|putain|bordel|foutage de gueule|se foutent|n importe quoi|"
     "ridicule|merci pour rien|le pire|la pire|pire service|honteusement|abusé|abusif|"
     "hors de prix|trop cher|c est une blague|une blague|lamentables|pathétique|foutez|"
     "c est du vol|du vol|inexistant|inexistante|je ne comprends pas comment|de pire en pire|"
     "vous vous moquez|se moquer|se moquent|foutent de|aucune considération|irrespectueux|"
     "irrespectueuse|si lent|tellement lent|grossier|grossière|désagréable|méprisant"),
    (VENT, 1.0, "judgement", "mauvais|mauvaise|dommage|cher|chère|comme d habitude|"
     "encore une fois|une fois de plus|toujours la même chose|pire|énervé|énervée|agacé|"
     "agacée|triste|pas terrible|bof"),
    (THANKS, 1.5, "thanks", "merci|merci beaucoup|mille mercis|merci bcp|remercie|je vous remercie|"
     "merci pour|merci de votre|merci de ta|merci de m avoir|merci de nous avoir|"
     "merci de l|merci d avoir|mercii|merciii"),
    (PRAISE, 1.5, "praise", "génial|géniale|géniaux|super|parfait|parfaite|excellent|excellente|"
     "top|au top|génialissime|formidable|merveilleux|merveilleuse|magnifique|adore|j adore|"
     "bravo|félicitations|bien joué|efficace|efficaces|impeccable|nickel|chapeau|"
     "je recommande|recommande|incroyable|une merveille|très bien|trop bien|très bon|"
     "très bonne|le meilleur|la meilleure|les meilleurs|service au top|trop cool"),
    (PRAISE, 0.5, "praise", "rapide|rapidement|bon|bonne|bien"),
    (PRAISE, 1.0, "praise", "j aime|aime|aimé|j ai aimé|plaît|me plaît"),
    (VENT, 1.0, "negated praise", "aime pas|plaît pas|pas aimé"),
    (SKIP, 0.0, "", "bon de|bon d|bonne nouvelle|bien sûr|bien reçu merci"),
    (PRAISE, 1.0, "praise", "sympa|sympathique|aimable|aimables|agréable|livraison rapide|"
     "content|contente|ravi|ravie|satisfait|satisfaite|cool|bon service|top service|"
     "adorable|adorables|délicieux|délicieuse|un régal|on reviendra|je reviendrai|"
     "super expérience|belle expérience|bien accueilli|bien accueillie|au petit soin|"
     "aux petits soins|professionnel|professionnelle|réactif|réactive|réactifs"),
    (QUESTION, 1.0, "asks a question", "est ce que|est ce qu|qu est ce que|savez vous|"
     "vous savez si|je voudrais savoir|j aimerais savoir|une question|petite question|"
     "question|y a t il|y a t'il|peut on|puis je|avez vous|vous avez|est il possible|"
     "comment faire|à quelle heure|combien coûte|quand est ce|pourquoi"),
    (RESOLVED, 1.5, "resolved", "c est réglé|réglé|résolu|résolue|problème résolu|enfin reçu|"
     "problème réglé|réglé mon problème|résolu mon problème|"
     "bien reçu|enfin arrivé|enfin arrivée|bien arrivé|bien arrivée|c est réparé|réparé|"
     "ça remarche|remarche|fonctionne à nouveau|marche à nouveau|rétabli|rétablie|"
     "été remboursé|été remboursée|bien remboursé|tout est rentré dans l ordre"),
    (RESOLVED, 1.0, "resolved", "enfin|c est bon|ça marche|tout est ok"),
    (URGENT, 1.0, "urgent", "urgent|urgente|urgence|au plus vite|le plus vite possible|"
     "dès que possible|immédiatement|tout de suite|asap|en urgence|désespéré|désespérée"),
    (URGENT, 0.5, "soon", "aujourd hui|ce soir|demain|rapidement svp"),
    (OPEN, 1.0, "still going on", "toujours|encore|depuis|à nouveau|de nouveau|"
     "depuis des semaines|depuis des jours"),
    (SKIP, 0.0, "", "bonne journée|bonne soirée|bon week end|bonne nuit|bonne année|"
     "pas de problème|pas de souci|aucun problème|aucun souci|sans problème|de rien|"
     "envoyé un mp|envoyé un message|envoyé un dm|je vous ai écrit en privé|mp envoyé|"
     "message envoyé"),
)

_DE: _Spec = (
    (ASK, 2.0, "asks for a refund", "erstattung|rückerstattung|erstatten|zurückerstatten|"
     "geld zurück|mein geld|rückzahlung|zurückzahlen|gutschrift|erstattet werden|"
     "bitte um erstattung"),
    (ASK, 2.0, "asks for a replacement", "ersatz|ersatzgerät|ersatzlieferung|austausch|"
     "austauschen|umtausch|umtauschen|neues gerät|bitte um ersatz|nachlieferung|"
     "neu zuschicken|neu senden"),
    (ASK, 2.0, "asks for compensation", "entschädigung|entschädigen|kompensation|"
     "schadensersatz|schadenersatz|kulanz"),
    (ASK, 2.0, "asks for a fix", "reparatur|reparieren|reparieren sie|beheben|behebt|"
     "beheben sie|eine lösung|lösung|lösen sie|reklamation|reklamieren|reklamiere|"
     "garantiefall|gewährleistung|nachbesserung"),
    (ASK, 2.0, "asks where their order is", "wo ist mein|wo ist meine|wo sind meine|"
     "wo bleibt mein|wo bleibt meine|wo bleiben meine|was ist mit meiner|was ist mit meinem"),
    (HELPME, 1.2, "asks for help", "hilfe|helfen|helft|helft mir|helfen sie mir|hilf mir|"
     "unterstützung|brauche hilfe|bitte helfen"),
    (HELP, 1.0, "asks for contact", "melden sie sich|meldet euch|rufen sie mich an|"
     "ruft mich an|rückruf|kontaktieren sie mich|antworten sie|antwortet|pn|dm|"
     "privatnachricht|per dm|bitte um rückmeldung|bitte um antwort"),
    (HELP, 0.9, "asks for a return or cancellation", "rücksendung|zurückschicken|"
     "zurücksenden|widerruf|widerrufen|stornieren|stornierung|kündigen|kündigung"),
    (HELP, 1.0, "invokes the warranty", "garantie|auf garantie"),
    (SOFT, 0.6, "states a want or need", "bitte|bitten|bitte um|ich brauche|brauche|"
     "ich möchte|möchte|ich will|ich hätte gern|ich hätte gerne|könnten sie|können sie|"
     "könnt ihr|kannst du|wäre nett|ich erwarte|erwarte|danke im voraus|vielen dank im voraus|"
     "im voraus danke"),
    (PROBLEM, 2.0, "not arrived", "nicht angekommen|nie angekommen|noch nicht angekommen|"
     "nicht geliefert|nie geliefert|nicht zugestellt|nie zugestellt|nicht erhalten|"
     "nie erhalten|nicht bekommen|nie bekommen|kam nie an|kam nicht an|kommt nicht an|"
     "ist nicht da|noch nicht da|immer noch nicht da|immer noch nicht|noch immer nicht|"
     "als zugestellt markiert|angeblich zugestellt|angeblich geliefert|warte seit|"
     "warte immer noch|warten seit|warte noch immer|nicht eingetroffen|krieg keinen|krieg keine|"
     "krieg kein|kriege keinen|kriege keine|bekomme keinen|bekomme keine|bekomme kein|"
     "erhalte keine|erhalte keinen|kam nicht|nicht gekommen|nie gekommen|"
     "ist nicht gekommen|nicht erschienen|nicht _ angekommen|nicht _ geliefert|"
     "nicht _ erhalten|nicht _ zugestellt|nie _ angekommen"),
    (PROBLEM, 2.0, "charge not recognised", "nicht autorisiert|erkenne ich nicht|"
     "kenne ich nicht|nicht getätigt|nicht bestellt|nie bestellt|nicht beauftragt"),
    (PROBLEM, 2.0, "never came or stopped", "niemand aufgetaucht|nicht aufgetaucht|"
     "niemand gekommen|keiner gekommen|keiner aufgetaucht|niemand vorbeigekommen|"
     "verbindet sich nicht|hat aufgehört|hört auf zu|blinkt rot|leuchtet rot"),
    (PROBLEM, 2.0, "done without consent", "ohne zu fragen|ohne meine zustimmung|"
     "ohne vorwarnung|ohne ankündigung|ohne mein einverständnis|obwohl ich _ gekündigt|"
     "trotz kündigung|nach der kündigung|obwohl gekündigt|trotz widerruf"),
    (PROBLEM, 0.8, "something contradicts", "obwohl|trotzdem|trotz|dabei"),
    (HELPME, 1.2, "asks for a person", "mit jemandem sprechen|einen mitarbeiter sprechen|"
     "mit einem menschen sprechen|kann mir jemand helfen|jemand helfen"),
    (VENT, 1.5, "leaving", "ich kündige|kündige ich|ich wechsle|wechsle den anbieter|"
     "bin weg|tschüss|auf nimmerwiedersehen"),
    (VENT, 1.0, "price rise", "teurer|preiserhöhung|immer teurer|jedes jahr teurer|"
     "immer schlechter"),
    (VENT, 2.0, "useless", "bringt nichts|nutzlos|sinnlos|das schlimmste|schlimmste"),
    (PROBLEM, 1.5, "stuck", "hängt|hängt fest|steckt fest|stecken geblieben|bricht ab|"
     "bricht _ ab|bricht ständig ab|bewegt sich nicht|tut sich nichts|passiert nichts"),
    (PROBLEM, 1.0, "charged", "berechnet|berechnen|in rechnung gestellt"),
    (PROBLEM, 1.0, "still pending", "in bearbeitung|in prüfung|noch offen|offen seit"),
    (PROBLEM, 2.0, "declined", "abgelehnt|lehnt _ ab|wird abgewiesen"),
    (PROBLEM, 2.0, "restarts or shuts by itself", "startet ständig neu|startet dauernd neu|"
     "startet immer wieder neu|startet von selbst neu|startet neu|schließt sich|"
     "schaltet sich ab|geht von selbst aus"),
    (PROBLEM, 2.0, "out of sync", "nicht synchron|nicht _ synchron|asynchron"),
    (PROBLEM, 2.0, "not working", "funktioniert nicht|funktioniert nicht mehr|"
     "funktionieren nicht|funktioniert gar nicht|geht nicht|geht nicht mehr|läuft nicht|"
     "startet nicht|lädt nicht|klappt nicht|stürzt ab|abgestürzt|hängt sich auf|friert ein|"
     "störung|ausfall|ausgefallen|kein internet|kein netz|kein empfang|kein strom|"
     "keine verbindung|kein wlan|offline|down|lässt sich nicht|fehlermeldung|"
     "geht gar nichts|nichts geht|geht gar nix|nix geht|hält nicht mehr|hält keine|"
     "lädt nicht mehr|absturz|stürzt _ ab|stürzt ständig ab"),
    (PROBLEM, 2.0, "broken or damaged", "kaputt|defekt|defekte|defekten|beschädigt|"
     "beschädigte|zerbrochen|gerissen|undicht|leckt|fehlerhaft|kaputt angekommen|"
     "beschädigt angekommen|zerkratzt|verbogen"),
    (PROBLEM, 2.0, "charged wrongly", "zweimal abgebucht|doppelt abgebucht|doppelt berechnet|"
     "zweimal berechnet|doppelte abbuchung|falsch berechnet|zu viel berechnet|"
     "falsche rechnung|unberechtigt abgebucht|ungerechtfertigt|zu viel abgebucht|"
     "noch nicht erstattet|immer noch nicht erstattet|nie erstattet|bucht weiter ab"),
    (PROBLEM, 2.0, "lost or missing", "verloren|verloren gegangen|verschwunden|fehlt|fehlen|"
     "fehlende|falsche ware|falscher artikel|falsch geliefert|falsche größe|unvollständig|"
     "gestohlen"),
    (PROBLEM, 2.0, "account locked or no access", "konto gesperrt|gesperrt|gehackt|"
     "kann mich nicht einloggen|nicht einloggen|nicht anmelden|kein zugriff|"
     "komme nicht rein|nicht mehr rein"),
    (PROBLEM, 2.0, "no answer, still open", "keine antwort|keine rückmeldung|"
     "niemand antwortet|niemand meldet sich|keiner meldet sich|keiner antwortet|"
     "warteschleife|in der warteschleife|nicht erreichbar|niemand erreichbar|"
     "flug gestrichen|flug annulliert|zug fällt aus|fällt aus|nicht gelöst|ungelöst"),
    (PROBLEM, 1.0, "reports a problem", "problem|probleme|fehler|mangel|mängel|"
     "nicht möglich|kann nicht|können nicht|langsam|verspätung|verspätet|annulliert|"
     "gestrichen|abgebucht|falsch|beschwerde"),
    (PAST, 1.0,
     "a bad experience, over", "mit _ verspätung geliefert|kam mit _ verspätung|kam zu spät|"
     "zu spät geliefert|verspätet geliefert|"
     "musste warten|mussten warten|letztes mal|war eine katastrophe|war furchtbar"),
    (VENT, 2.0, "never again", "nie wieder|nimmer wieder|niemals wieder|nie mehr|"
     "nicht empfehlenswert|nicht zu empfehlen|kann ich nicht empfehlen|finger weg|"
     "nie wieder bei"),
    (VENT, 2.0, "strong frustration", "frechheit|unverschämt|unverschämtheit|sauerei|"
     "saftladen|drecksladen|katastrophe|katastrophal|unter aller sau|das letzte|"
     "sehr schlecht|schlechter service|schlechteste|schlimmste|miserabel|grottig|"
     "grottenschlecht|peinlich|schande|skandal|skandalös|lächerlich|ein witz|abzocke|"
     "abzocker|abzocken|betrug|betrüger|verbrecher|inkompetent|inkompetenz|unfähig|idioten|"
     "vollidioten|scheiße|scheisse|scheiß|kacke|enttäuscht|enttäuschung|enttäuschend|"
     "wütend|stinksauer|es reicht|nase voll|die nase voll|ätzend|furchtbar|schrecklich|"
     "grauenhaft|grässlich|kundenfeindlich|überteuert|wucher|danke für nichts|"
     "vielen dank für nichts|unmöglich|mies|mieser|zumutung|eine zumutung|armselig|"
     "unzumutbar|inakzeptabel|nicht akzeptabel|allerletzte|das allerletzte|unterirdisch|"
     "zum kotzen|kotzt mich an|armutszeugnis|lachhaft|keinen bock mehr|kein bock mehr|"
     "keinen bock|schnauze voll|die schnauze voll|reicht mir|übertreibt|übertrieben|"
     "nicht mehr normal|nicht normal|geht gar nicht|immer schlimmer|respektlos|dreist|"
     "nervig|verarschen|verarsche|verarscht|so langsam|unfreundlich|pampig|frech"),
    (VENT, 1.0, "again and again", "zum x ten mal|zum xten mal|zum wiederholten mal|"
     "zum dritten mal|jedes mal wieder"),
    (VENT, 1.0, "judgement", "schlecht|schlechte|schlechter|sauer|genervt|nervt|mist|verdammt|"
     "zu teuer|teuer|wie immer|typisch|immer das gleiche|jedes mal|witz|ärgerlich|traurig|"
     "schade"),
    (THANKS, 1.5, "thanks", "danke|vielen dank|danke schön|dankeschön|herzlichen dank|"
     "besten dank|tausend dank|dankbar|bedanke|vielen lieben dank|danke sehr|merci|thx"),
    (PRAISE, 1.5, "praise", "super|toll|klasse|prima|spitze|großartig|hervorragend|"
     "ausgezeichnet|perfekt|wunderbar|fantastisch|sehr gut|echt gut|richtig gut|top|mega|"
     "der hammer|genial|begeistert|sehr zufrieden|empfehlenswert|weiterempfehlen|"
     "großes lob|lob|kompliment|weiter so|gerne wieder|immer wieder gerne|der beste|"
     "die beste|das beste|ihr seid die besten|liebe es|ich liebe|grandios|traumhaft|"
     "erstklassig|vorbildlich"),
    (PRAISE, 0.5, "praise", "schnell"),
    (PRAISE, 1.0, "praise", "gefällt|gefällt mir|gefallen|mag ich|gefiel"),
    (PRAISE, 1.0, "praise", "gut|zufrieden|freundlich|hilfsbereit|schnelle lieferung|"
     "schnell geliefert|schneller versand|empfehle|"
     "freue mich|glücklich|cool|lecker|schön|beste|bester|nett|netten|kompetent|reibungslos|"
     "stark|richtig stark|wahnsinn|wahnsinnig gut|gelungen|macht spaß|hat spaß gemacht|"
     "köstlich|komme wieder|kommen wieder|toller service|klasse service"),
    (QUESTION, 1.0, "asks a question", "gibt es|gibt s|kann man|kann ich|darf ich|habt ihr|"
     "haben sie|hat jemand|weiß jemand|wisst ihr|ist es möglich|eine frage|kurze frage|"
     "frage|ich wollte fragen|ich würde gerne wissen|wie lange|bis wann|ab wann|wieviel|"
     "wie viel|wie kann ich|wo kann ich|ist das möglich|warum"),
    (RESOLVED, 1.5, "resolved", "hat sich erledigt|erledigt|gelöst|ist gelöst|behoben|"
     "wurde behoben|repariert|funktioniert wieder|geht wieder|läuft wieder|endlich angekommen|"
     "doch noch angekommen|endlich da|wurde erstattet|geld ist zurück|erstattet|"
     "ist angekommen danke"),
    (RESOLVED, 1.0, "resolved", "endlich|alles gut|alles klar|hat geklappt|klappt wieder"),
    (URGENT, 1.0, "urgent", "dringend|sofort|so schnell wie möglich|schnellstmöglich|umgehend|"
     "asap|notfall|heute noch|eilig|es eilt|unverzüglich|verzweifelt"),
    (URGENT, 0.5, "soon", "heute|morgen|heute abend"),
    (OPEN, 1.0, "still going on", "immer noch|noch immer|schon wieder|seit tagen|seit wochen|"
     "bis heute|weiterhin|nach wie vor|seit"),
    (SKIP, 0.0, "", "guten tag|guten morgen|guten abend|schönen tag|schönes wochenende|"
     "kein problem|keine probleme|ohne probleme|problemlos|schöne grüße|liebe grüße|lg|"
     "mit freundlichen grüßen|mfg|sehr geehrte|sehr geehrter|sehr geehrte damen und herren|"
     "dm geschickt|pn geschickt|nachricht geschickt|dm gesendet|habe euch geschrieben|"
     "hängt davon ab|hängt von"),
)

_PT: _Spec = (
    (ASK, 2.0, "asks for a refund", "reembolso|reembolsar|reembolsem|estorno|estornar|"
     "estornem|devolução do dinheiro|devolver o dinheiro|devolvam meu dinheiro|"
     "devolvam o meu dinheiro|devolvam o dinheiro|meu dinheiro de volta|quero meu dinheiro|"
     "quero o meu dinheiro|ressarcimento|ressarcir|reembouso"),
    (ASK, 2.0, "asks for a replacement", "substituição|substituir|substituam|um novo|uma nova|"
     "trocar o produto|troquem|reenvio|reenviar"),
    (ASK, 2.0, "asks for compensation", "indenização|indenizar|indemnização|compensação|"
     "compensar"),
    (ASK, 1.5, "asks for a fix", "consertem|consertar|arrumem|resolvam|resolver|solução|"
     "uma solução|resolvam isso|reparação|reparar|cancelem a cobrança"),
    (ASK, 2.0, "asks where their order is", "cadê meu|cadê minha|cadê o meu|cadê a minha|"
     "cade meu|cade minha|onde está meu|onde está minha|onde está o meu|onde está a minha|"
     "onde estão meus|onde esta meu|onde esta minha|cadê meus|cadê o pedido|"
     "o que aconteceu com meu|o que aconteceu com o meu"),
    (HELPME, 1.2, "asks for help", "ajuda|ajudem|me ajudem|me ajuda|me ajudar|ajudar|socorro|"
     "preciso de ajuda|alguém me ajuda|podem me ajudar|assistência"),
    (HELP, 1.0, "asks for contact", "entrem em contato|entre em contato|me liguem|liguem|"
     "respondam|me respondam|retorno|aguardo retorno|aguardo resposta|dm|inbox|direct|"
     "privado|no privado|me chamem"),
    (HELP, 0.9, "asks for a return or cancellation", "cancelar|cancelamento|cancelem|"
     "devolução|devolver|trocar|troca"),
    (HELP, 1.0, "invokes the warranty", "garantia|na garantia"),
    (SOFT, 0.6, "states a want or need", "quero|queria|gostaria|preciso|precisamos|por favor|"
     "pfv|pf|pfvr|por gentileza|podem|poderiam|vocês podem|vcs podem|favor|desde já agradeço|"
     "agradeço desde já|obrigado desde já|obrigada desde já|aguardo"),
    (PROBLEM, 2.0, "not arrived", "não chegou|nao chegou|ainda não chegou|nunca chegou|"
     "não _ chegou|não chega|não recebi|nao recebi|nunca recebi|não _ recebi|não foi entregue|"
     "não entregue|nao entregue|não entregaram|não _ entregue|consta como entregue|"
     "aparece como entregue|diz que foi entregue|estou esperando|espero há|esperando há|"
     "há dias esperando|aguardando até hoje|até agora nada|até hoje nada|nada do pedido|"
     "nada da encomenda|não recebemos"),
    (PROBLEM, 2.0, "declined", "recusado|recusada|recusou|negado|negada"),
    (PROBLEM, 2.0, "restarts or shuts by itself", "fecha sozinho|fecha sozinha|"
     "reinicia sozinho|reinicia sozinha|desliga sozinho|desliga sozinha"),
    (PROBLEM, 2.0, "out of sync", "fora de sincronia|dessincronizado|dessincronizada|"
     "fora de sincronização"),
    (PROBLEM, 2.0, "not working", "não funciona|nao funciona|não _ funciona|parou de funcionar|"
     "não está funcionando|não liga|não carrega|não abre|não conecta|não consigo|"
     "nao consigo|não dá para|sem internet|sem sinal|sem luz|sem serviço|sem rede|caiu|"
     "fora do ar|não tenho internet|não tem internet|não tenho sinal|não tem sinal|travando|"
     "trava|travou|bugado|bugou|bug|dando erro|deu erro|funciona mal"),
    (PROBLEM, 2.0, "broken or damaged", "quebrado|quebrada|quebrados|quebrou|danificado|"
     "danificada|com defeito|defeito|defeituoso|defeituosa|estragado|estragada|avariado|"
     "avariada|veio quebrado|chegou quebrado|amassado|rasgado|rachado"),
    (PROBLEM, 2.0, "arrived incomplete or not registered", "veio sem|chegou sem|entregaram sem|"
     "não compensou|não foi compensado|não caiu|não consta|não aparece|não apareceu|"
     "não identificado|não foi identificado|não veio|não vieram|ninguém veio|"
     "ninguém apareceu|não apareceram|não reconheço|não reconhecido|não autorizei|"
     "não fiz essa compra|não solicitei|nunca pedi"),
    (PROBLEM, 2.0, "stopped working or gone", "parou de|deixou de|não conecta mais|"
     "desapareceu|sumiu do|faz _ que estou esperando|estou esperando no"),
    (PROBLEM, 2.0, "done without consent", "sem avisar|sem autorização|sem meu consentimento|"
     "sem pedir|mesmo depois de cancelar|mesmo tendo cancelado|já cancelei e"),
    (PROBLEM, 1.0, "charged too much", "o dobro|em dobro|veio o dobro|sendo que era"),
    (PROBLEM, 0.8, "something contradicts", "mesmo assim|apesar de|sendo que|porém"),
    (HELPME, 1.2, "asks for a person", "falar com alguém|falar com um atendente|"
     "falar com uma pessoa|falar com um humano|alguém pode me ajudar"),
    (VENT, 1.5, "leaving", "vou cancelar|vou trocar de operadora|estou cancelando|vou embora|"
     "vou mudar de operadora|adeus"),
    (VENT, 1.0, "price rise", "aumentam o preço|aumentaram o preço|aumento|aumentaram|"
     "cada vez mais caro|piora|só piora|piorou"),
    (VENT, 2.0, "useless", "não serve pra nada|não serve para nada|não servem pra nada"),
    (PROBLEM, 1.0, "still pending", "em preparação|em separação|em processamento|em trânsito|"
     "parado|parada|travado|travada|não atualiza|sem atualização|pendente"),
    (PROBLEM, 2.0, "charged wrongly", "cobrado duas vezes|cobraram duas vezes|"
     "cobrança duplicada|cobrança em dobro|cobrança indevida|cobrança errada|cobrado a mais|"
     "cobraram a mais|débito indevido|cobrança não autorizada|continuam cobrando|"
     "continuam me cobrando|estão me cobrando|não estornaram|não devolveram"),
    (PROBLEM, 2.0, "lost or missing", "extraviado|extraviada|perderam|sumiu|sumiram|faltando|"
     "veio faltando|falta|veio errado|produto errado|pedido errado|tamanho errado|"
     "incompleto|incompleta|roubado|roubada"),
    (PROBLEM, 2.0, "account locked or no access", "conta bloqueada|bloquearam minha conta|"
     "hackeada|hackeado|invadida|invadiram|conta suspensa|bloqueado|bloqueada|"
     "não consigo entrar|não consigo acessar|não consigo logar"),
    (PROBLEM, 2.0, "no answer, still open", "sem resposta|ninguém responde|ninguém atende|"
     "ninguém me responde|ninguém resolve|não respondem|não atendem|não me respondem|"
     "continua sem|ainda sem|sem solução|não resolveram|não foi resolvido|não resolvem|"
     "voo cancelado|cancelaram meu voo|cancelaram o voo|na espera|em espera"),
    (PROBLEM, 1.0, "reports a problem", "problema|problemas|erro|erros|falha|falhas|não dá|"
     "não deu|reclamação|demora|lento|lenta|atrasado|atrasada|atraso|cancelado|cancelada|"
     "fui cobrado|fui cobrada|me cobraram|perdido|perdida|errado|errada|"
     "reclame aqui|procon"),
    (PAST, 1.0,
     "a bad experience, over", "chegou atrasado|chegou com atraso|chegou com _ de atraso|"
     "demorou|demoraram|"
     "me atenderam mal|fui mal atendido|fui mal atendida|da última vez|foi horrível|"
     "foi péssimo|a pior experiência"),
    (VENT, 2.0, "never again", "nunca mais|jamais|não recomendo|nao recomendo|não comprem|"
     "fujam|nunca mais compro|nuncamais"),
    (VENT, 2.0, "strong frustration", "péssimo|péssima|péssimos|pessimo|vergonha|que vergonha|"
     "vergonhoso|lamentável|horrível|horríveis|terrível|ridículo|ridícula|absurdo|um absurdo|"
     "inadmissível|inaceitável|desrespeito|descaso|falta de respeito|palhaçada|lixo|"
     "porcaria|merda|bosta|ladrões|golpe|golpistas|enganação|picaretas|incompetentes|"
     "incompetência|inúteis|inútil|decepcionado|decepcionada|decepção|decepcionante|"
     "revoltado|revoltada|revoltante|indignado|indignada|cansado de|cansada de|farto|farta|"
     "saco cheio|de saco cheio|que raiva|ódio|odeio|o pior|a pior|os piores|horroroso|"
     "horrorosa|uma piada|não comprem|caríssimo|abusivo|abusiva|um roubo|roubo|"
     "obrigado por nada|obrigada por nada|valeu por nada|sacanagem|porra|caralho|pqp|vsf|"
     "tnc|fdp|descaso total|uma merda|muito ruim|que absurdo|sem educação|não respeita|"
     "não respeitam|desrespeitoso|cada vez pior|de mal a pior|tá de brincadeira|brincadeira|"
     "uma vergonha|falta de educação|mal educado|mal educada|grossa|grosso|grosseria|"
     "tão lento|tão lenta|nunca vi|mal atendido|mal atendida"),
    (VENT, 1.0, "judgement", "ruim|ruins|raiva|pior|piores|caro|cara|droga|aff|affs|"
     "como sempre|sempre a mesma coisa|de novo|piada|chateado|chateada|triste|mal|zoado"),
    (THANKS, 1.5, "thanks", "obrigado|obrigada|obg|obgd|obrigadão|brigado|brigada|valeu|vlw|"
     "muito obrigado|muito obrigada|agradeço|agradecido|agradecida|grato|grata|obrigadoo"),
    (PRAISE, 1.5, "praise", "adorei|adoro|amei|amo|amando|ótimo|ótima|excelente|perfeito|"
     "perfeita|maravilhoso|maravilhosa|incrível|sensacional|show|top|muito bom|muito boa|"
     "parabéns|gostei|gostei muito|recomendo|nota 10|nota dez|fantástico|fantástica|"
     "espetacular|impecável|arrasou|arrasaram|o melhor|a melhor|os melhores|maravilha|"
     "show de bola|demais|vocês são demais|top demais|excelente atendimento"),
    (PRAISE, 0.5, "praise", "rápido|rápida"),
    (PRAISE, 1.0, "praise", "gosto|gostamos|curti|curto|curtimos"),
    (PRAISE, 1.0, "praise", "bom|boa|legal|lindo|linda|satisfeito|satisfeita|feliz|"
     "entrega rápida|atencioso|atenciosa|atenciosos|eficiente|massa|bacana|melhor|gentil|educado|"
     "educada|tudo certinho|delicioso|deliciosa|gostoso|gostosa|voltarei|voltaremos|"
     "bem atendido|bem atendida|bem atendidos|certinho|caprichado|prestativo|prestativa|"
     "ágil|super atencioso|excelente serviço"),
    (QUESTION, 1.0, "asks a question", "que horas|a que horas|vocês têm|vcs tem|tem como|"
     "é possível|será que|alguém sabe|gostaria de saber|queria saber|uma dúvida|dúvida|"
     "pergunta|por que|quanto custa|quanto tempo|vocês fazem|vocês entregam|como faço|"
     "como faz|posso|cadê"),
    (RESOLVED, 1.5, "resolved", "já chegou|chegou certinho|chegou direitinho|finalmente chegou|"
     "resolvido|resolvida|foi resolvido|resolveram|consertado|consertaram|"
     "resolveram meu problema|resolveram o problema|problema resolvido|"
     "voltou a funcionar|já funciona|funcionando|recebi o reembolso|recebi o estorno|"
     "foi estornado|estornado|deu certo|já recebi"),
    (RESOLVED, 1.0, "resolved", "finalmente|enfim|tudo certo|tudo ok|tudo resolvido"),
    (URGENT, 1.0, "urgent", "urgente|urgência|o quanto antes|o mais rápido possível|"
     "imediatamente|emergência|desesperado|desesperada|pra ontem|para ontem|asap"),
    (URGENT, 0.5, "soon", "hoje|amanhã|agora"),
    (OPEN, 1.0, "still going on", "ainda|continua|continuam|até agora|até hoje|novamente|"
     "há dias|faz dias|há semanas|faz uma semana|faz semanas|outra vez"),
    (SKIP, 0.0, "", "bom dia|boa tarde|boa noite|olá boa tarde|tudo bem|tudo bom|"
     "sem problema|sem problemas|nenhum problema|de nada|mandei dm|mandei mensagem|"
     "mandei no privado|mandei inbox|enviei dm|enviei mensagem|chamei no privado"),
)

_SPECS: Mapping[str, _Spec] = MappingProxyType({"es": _ES, "fr": _FR, "de": _DE, "pt": _PT})

# Function words that negate the cue up to three words after them, within a clause.
_NEGATORS = {
    "es": "no nunca jamas ni sin tampoco nada nadie ningun ninguna ninguno",
    "fr": "pas jamais rien personne aucun aucune sans non",  # "ne" negates only with "pas"
    "de": "nicht nichts kein keine keinen keinem keiner keines nie niemals niemand ohne weder",
    "pt": "nao nunca jamais nem sem nada ninguem nenhum nenhuma num",
}
# Question words that make a question at the start of a clause (weight 0.7, 1.0 when the
# accent marks them interrogative: "cuándo" not "cuando", "où" not "ou").
_INTERROGATIVES = {
    "es": "cuando donde como cual cuales cuanto cuanta cuantos cuantas quien quienes",
    "fr": "quand comment combien quel quelle quels quelles pourquoi quoi",
    "de": "wann wo wie warum wieso weshalb welche welcher welches welchen wer was woher wohin",
    "pt": "quando onde como qual quais quanto quanta quantos quantas quem",
}
_ACCENTED = frozenset(("cuándo", "dónde", "cómo", "cuál", "cuáles", "cuánto", "cuánta",
                       "cuántos", "cuántas", "quién", "quiénes", "où"))
# Openers after which a clause still counts as starting ("Hola, ¿cuándo...").
_GREETINGS = {
    "es": "bueno bien pues hola buenas oye ey hey estimados estimado estimada querido querida "
          "saludos",
    "fr": "bon bien bref bonjour bonsoir salut coucou hello madame monsieur cher chere allo",
    "de": "hallo hi hey moin servus liebe lieber liebes tag morgen abend",
    "pt": "ola oi oii opa prezados prezado prezada pessoal gente caro cara querido querida",
}
# Colloquial abbreviations, rewritten before lookup.
_ALIASES = {
    "es": {"q": "que", "k": "que", "xq": "porque", "pq": "porque", "porq": "porque",
           "x": "por", "tmb": "tambien", "tb": "tambien", "nd": "nada", "d": "de",
           "pa": "para", "toy": "estoy", "grasias": "gracias", "resivido": "recibido",
           "resibido": "recibido"},
    "fr": {"pb": "probleme", "pbm": "probleme", "pbs": "problemes", "jms": "jamais",
           "tjrs": "toujours", "tjs": "toujours", "bcp": "beaucoup", "ptn": "putain",
           "pk": "pourquoi", "pq": "pourquoi", "qd": "quand", "cmt": "comment", "ke": "que",
           "mrc": "merci", "mci": "merci"},
    "de": {"net": "nicht", "ned": "nicht", "nich": "nicht", "nix": "nichts", "is": "ist",
           "hab": "habe", "funzt": "funktioniert", "kaput": "kaputt", "bitteschon": "bitte",
           "dankee": "danke", "danki": "danke"},
    "pt": {"n": "nao", "ñ": "nao", "naum": "nao", "vc": "voce", "vcs": "voces", "q": "que",
           "pq": "porque", "nd": "nada", "tb": "tambem", "tbm": "tambem", "hj": "hoje",
           "td": "tudo", "mt": "muito", "mto": "muito", "msm": "mesmo", "cmg": "comigo",
           "obgg": "obrigado", "brigadao": "obrigado", "ngm": "ninguem", "tá": "esta",
           "ta": "esta", "to": "estou", "tô": "estou"},
}
# German compounds: a token that ends in one of these heads counts as the head
# ("Rückerstattung", "Internetstörung", "Lieferproblem").
_DE_HEADS = ("erstattung", "gutschrift", "reklamation", "entschadigung", "storung", "ausfall",
             "frechheit", "katastrophe", "abzocke", "enttauschung", "verspatung", "problem",
             "probleme", "fehler", "sauerei", "skandal", "betrug", "zumutung")

_TOPIC_SPECS: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "es": {
        "delivery": "pedido|pedidos|paquete|paquetes|envío|envíos|entrega|entregas|entregado|"
                    "repartidor|mensajero|mensajería|correos|seguimiento|transportista|"
                    "paquetería|a domicilio|orden|compra",
        "billing": "factura|facturas|facturación|cobro|cobros|cobrado|cobraron|cargo|cargos|"
                   "tarjeta|pago|pagos|pagué|pagado|reembolso|dinero|precio|precios|tarifa|"
                   "cuota|suscripción|recibo|euros|pesos|abono|transferencia|descuento|cupón",
        "account": "cuenta|contraseña|usuario|iniciar sesión|sesión|login|acceso|acceder|"
                   "perfil|correo electrónico|email|e mail|verificación|código|hackeada|"
                   "bloqueada|entrar",
        "product": "producto|productos|roto|rota|defectuoso|dañado|calidad|pantalla|batería|"
                   "cargador|aparato|dispositivo|móvil|celular|actualización|garantía|"
                   "comida|talla|ropa|zapatos|lavadora|nevera|televisor|tele|portátil|"
                   "ordenador|impresora|cafetera|artículo|auriculares|cascos|altavoz|cargador|"
                   "reloj|consola|cámara",
        "outage": "caído|caída|sin servicio|internet|conexión|red|señal|servidor|web|página|"
                  "app|aplicación|fuera de servicio|fibra|wifi|luz|cobertura|apagón|"
                  "avería|línea",
        "booking": "vuelo|vuelos|reserva|reservas|reservé|billete|billetes|boleto|boletos|"
                   "asiento|maleta|maletas|equipaje|embarque|aeropuerto|hotel|habitación|"
                   "viaje|tren|cita|mesa|check in|escala|retrasado",
        "service": "atención al cliente|servicio al cliente|atención|servicio|personal|"
                   "empleado|empleada|empleados|agente|operador|operadora|teléfono|llamada|"
                   "llamar|chat|tienda|dependiente|cajero|respuesta|espera|gerente|"
                   "encargado|trato|soporte",
    },
    "fr": {
        "delivery": "commande|commandes|colis|livraison|livraisons|livré|livrée|livreur|"
                    "expédition|expédié|envoi|suivi|numéro de suivi|transporteur|"
                    "point relais|relais|la poste|facteur|paquet",
        "billing": "facture|factures|facturation|facturé|prélèvement|prélevé|débité|débit|"
                   "paiement|payé|payer|remboursement|rembourser|argent|prix|tarif|abonnement|"
                   "carte bancaire|carte|frais|euros|avoir|bon d achat|réduction|code promo",
        "account": "compte|mot de passe|identifiant|identifiants|me connecter|se connecter|"
                   "adresse mail|adresse e mail|email|mail|profil|espace client|piraté|"
                   "code de vérification",
        "product": "produit|produits|cassé|défectueux|abîmé|qualité|écran|batterie|chargeur|"
                   "appareil|portable|ordinateur|machine à laver|frigo|télé|taille|"
                   "mise à jour|article|articles|repas|nourriture|plat|écouteurs|casque|enceinte|"
                   "montre|console",
        "outage": "panne|en panne|internet|réseau|connexion|box|fibre|wifi|hors service|site|"
                  "site web|appli|application|serveur|coupure|bug|beug|électricité|courant",
        "booking": "vol|vols|réservation|réserver|billet|billets|siège|bagage|bagages|valise|"
                   "embarquement|aéroport|hôtel|chambre|voyage|train|rendez vous|rdv|table|"
                   "escale|correspondance|retard",
        "service": "service client|service clients|sav|conseiller|conseillère|agent|personnel|"
                   "employé|vendeur|vendeuse|accueil|téléphone|appel|chat|magasin|boutique|"
                   "hotline|réponse|attente|standard|guichet|service",
    },
    "de": {
        "delivery": "paket|pakete|päckchen|lieferung|geliefert|liefern|zustellung|zugestellt|"
                    "zusteller|bote|paketbote|versand|versendet|verschickt|sendung|"
                    "sendungsverfolgung|sendungsnummer|bestellung|bestellt|packstation|"
                    "paketshop|lieferzeit|lieferdienst",
        "billing": "rechnung|rechnungen|abgebucht|abbuchung|lastschrift|zahlung|bezahlt|zahlen|"
                   "erstattung|rückerstattung|geld|preis|preise|gebühr|gebühren|abo|"
                   "abonnement|vertrag|kreditkarte|gutschrift|gutschein|rabatt|euro|kosten|"
                   "tarif|mahnung|inkasso",
        "account": "konto|kundenkonto|account|passwort|kennwort|login|einloggen|anmelden|"
                   "anmeldung|benutzername|e mail adresse|e mail|gesperrt|gehackt|profil|"
                   "zugangsdaten|verifizierung|bestätigungscode",
        "product": "produkt|produkte|artikel|ware|gerät|kaputt|defekt|qualität|display|"
                   "bildschirm|akku|ladegerät|handy|laptop|fernseher|waschmaschine|"
                   "wasserkocher|kühlschrank|drucker|kaffeemaschine|garantie|gewährleistung|"
                   "update|größe|essen|kopfhörer|lautsprecher|router|uhr|konsole|kamera",
        "outage": "störung|ausfall|internet|netz|netzwerk|verbindung|wlan|dsl|router|empfang|"
                  "server|website|webseite|seite|app|offline|down|strom|stromausfall|"
                  "mobilfunk",
        "booking": "flug|flüge|buchung|gebucht|ticket|tickets|fahrkarte|sitzplatz|"
                   "reservierung|gepäck|koffer|boarding|flughafen|hotel|zimmer|reise|zug|"
                   "bahn|anschluss|verspätung|termin|tisch|check in",
        "service": "kundenservice|kundendienst|service|hotline|mitarbeiter|mitarbeiterin|"
                   "personal|berater|beraterin|filiale|laden|chat|anruf|angerufen|telefon|"
                   "warteschleife|support|antwort|rückmeldung|schalter|verkäufer|"
                   "kundenbetreuung",
    },
    "pt": {
        "delivery": "pedido|pedidos|encomenda|encomendas|entrega|entregue|entregador|"
                    "entregaram|frete|envio|enviado|rastreio|rastreamento|código de rastreio|"
                    "transportadora|correios|pacote|compra|prazo de entrega|motoboy",
        "billing": "fatura|faturas|cobrança|cobrado|cobraram|cobrou|cartão|pagamento|paguei|"
                   "pago|boleto|pix|reembolso|estorno|dinheiro|preço|valor|taxa|assinatura|"
                   "mensalidade|reais|euros|desconto|cupom|nota fiscal|débito|crédito",
        "account": "conta|senha|login|logar|usuário|e mail|email|perfil|cadastro|acesso|"
                   "acessar|hackeada|invadida|código de verificação|verificação",
        "product": "produto|produtos|quebrado|defeito|danificado|qualidade|tela|bateria|"
                   "carregador|aparelho|celular|telemóvel|notebook|computador|geladeira|"
                   "máquina de lavar|televisão|tv|garantia|atualização|tamanho|comida|lanche|"
                   "item|peça|fone|fones|caixa de som|relógio|console|câmera",
        "outage": "internet|sinal|rede|conexão|fora do ar|caiu|queda|instabilidade|wifi|fibra|"
                  "site|app|aplicativo|servidor|luz|energia|sem serviço",
        "booking": "voo|voos|reserva|passagem|passagens|bilhete|assento|bagagem|mala|malas|"
                   "embarque|aeroporto|hotel|quarto|viagem|check in|agendamento|mesa|trem|"
                   "ônibus|atrasado",
        "service": "atendimento|atendente|atendentes|sac|central|suporte|funcionário|"
                   "funcionária|funcionários|gerente|loja|vendedor|ligação|ligar|telefone|"
                   "chat|ouvidoria|resposta|protocolo|espera",
    },
})
# When two topics tie, the more specific and more actionable one wins (as in topic.py).
_TIE_ORDER = ("outage", "account", "billing", "delivery", "product", "booking", "service",
              "other")

_VENT_EMOJI = frozenset("😡🤬😤👎💩🙄😠😒🤮😭")
_PRAISE_EMOJI = frozenset("❤😍🥰😊👏🙌💯👍😀😃😄🤩♥💕💖💙💚🌟")

_TOKEN = re.compile(r"[^\W_]+|[?¿!¡.,;:…]")
_NOISE = re.compile(r"https?://\S+|www\.\S+|@\w+")
_REPEAT = re.compile(r"(\w)\1{2,}")
_PUNCT = frozenset("?¿!¡.,;:…")
_DOUBLED = re.compile(r"([aiousy])\1")  # never doubled in es / pt spelling


def _fold(word: str, lang: str) -> str:
    """Accent-insensitive form: NFKD with combining marks stripped, ß -> ss, runs of three
    or more letters cut to one ("graciassss"); German also folds ae/oe/ue to a/o/u."""
    word = _REPEAT.sub(r"\1", word.replace("ß", "ss"))
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", word)
                     if not unicodedata.combining(ch))
    if lang == "de":
        folded = folded.replace("ae", "a").replace("oe", "o").replace("ue", "u")
    return folded


def _phrase_tokens(entry: str, lang: str) -> tuple[str, ...]:
    """A lexicon entry's tokens, folded and de-abbreviated exactly as a post's are."""
    aliases = _ALIASES[lang]
    out = []
    for t in re.split(r"[\s'’-]+", entry.lower()):
        if t:
            folded = "_" if t == "_" else _fold(t, lang)
            out.append(aliases.get(folded, folded))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class _Cue:
    kind: int
    weight: float
    gloss: str
    shown: str  # the lexicon's own spelling, accents kept, for the reasons


# Phrases by first word, then by second word ("_" for those whose second word is a gap),
# each list longest first: a post's token costs one or two dictionary lookups.
_Phrases = Mapping[str, Mapping[str, tuple[tuple[tuple[str, ...], _T], ...]]]


@dataclass(frozen=True, slots=True)
class _Lexicon:
    lang: str
    words: Mapping[str, _Cue]
    phrases: _Phrases[_Cue]
    heads: Mapping[str, _Cue]
    negators: frozenset[str]
    interrogatives: frozenset[str]
    greetings: frozenset[str]
    aliases: Mapping[str, str]
    topic_words: Mapping[str, str]
    topic_phrases: _Phrases[str]


def _index(lang: str, items: list[tuple[str, _T]]) -> tuple[dict[str, _T], _Phrases[_T]]:
    """One-word entries by word, phrases as `_Phrases`. The first entry for a word or
    phrase wins, so a later table cannot silently override an earlier one."""
    words: dict[str, _T] = {}
    grouped: dict[str, dict[str, dict[tuple[str, ...], _T]]] = {}
    for entry, value in items:
        toks = _phrase_tokens(entry, lang)
        if len(toks) == 1:
            words.setdefault(toks[0], value)
        elif toks:
            grouped.setdefault(toks[0], {}).setdefault(toks[1], {}).setdefault(toks[1:], value)
    phrases = {first: MappingProxyType({second: tuple(sorted(
        v.items(), key=lambda item: -sum(t != "_" for t in item[0]))) for second, v in by.items()})
        for first, by in grouped.items()}
    return words, MappingProxyType(phrases)


def _phrase_at(index: _Phrases[_T], toks: list[str], i: int) -> tuple[_T, int] | None:
    """The longest phrase of `index` starting at token i, with the index after it."""
    by_second = index.get(toks[i])
    if by_second is None:
        return None
    best: tuple[_T, int] | None = None
    size = 0
    for key in (toks[i + 1] if i + 1 < len(toks) else "", "_"):
        for rest, value in by_second.get(key, ()):
            length = sum(t != "_" for t in rest)
            if length <= size:
                break
            end = _match(toks, i + 1, rest)
            if end >= 0:
                best, size = (value, end), length
                break
    return best


def _build(lang: str) -> _Lexicon:
    items = [(e, _Cue(kind, weight, gloss, e)) for kind, weight, gloss, entries in _SPECS[lang]
             for e in entries.split("|") if e]
    words, phrases = _index(lang, items)
    if not set(_TOPIC_SPECS[lang]) <= set(TOPICS):
        raise ValueError(f"{lang}: topics must be among model.TOPICS")
    topic_items = [(e, topic) for topic, entries in _TOPIC_SPECS[lang].items()
                   for e in entries.split("|") if e]
    t_words, t_phrases = _index(lang, topic_items)
    heads = {_fold(h, lang): words[_fold(h, lang)] for h in _DE_HEADS
             if lang == "de" and _fold(h, lang) in words}
    return _Lexicon(
        lang=lang, words=MappingProxyType(words), phrases=MappingProxyType(phrases),
        heads=MappingProxyType(heads), negators=frozenset(_NEGATORS[lang].split()),
        interrogatives=frozenset(_INTERROGATIVES[lang].split()),
        greetings=frozenset(_GREETINGS[lang].split()),
        aliases=MappingProxyType(dict(_ALIASES[lang])),
        topic_words=MappingProxyType(t_words), topic_phrases=MappingProxyType(t_phrases),
    )


_LEXICONS: Mapping[str, _Lexicon] = MappingProxyType({lang: _build(lang) for lang in _SPECS})


def lexicon_sizes() -> dict[str, int]:
    """Entries per language (cue words and phrases plus topic keywords), for docs and tests."""
    return {lang: sum(len(e.split("|")) for *_, e in _SPECS[lang])
            + sum(len(v.split("|")) for v in _TOPIC_SPECS[lang].values()) for lang in _SPECS}


def _match(tokens: list[str], j: int, rest: tuple[str, ...]) -> int:
    """Where `rest` ends if it matches tokens from j ("_" skips zero to three words), else -1."""
    for k, want in enumerate(rest):
        if want == "_":
            for skip in range(4):
                if skip and (j + skip - 1 >= len(tokens) or tokens[j + skip - 1] in _PUNCT):
                    break
                end = _match(tokens, j + skip, rest[k + 1:])
                if end >= 0:
                    return end
            return -1
        if j >= len(tokens) or tokens[j] != want:
            return -1
        j += 1
    return j


@dataclass(slots=True)
class _Hit:
    pos: int
    kind: int
    weight: float
    reason: str
    clause: int = 0


def _reason(cue: _Cue, lang: str) -> str:
    kind, shown, gloss = cue.kind, cue.shown, cue.gloss
    if kind in (ASK, HELP, HELPME, SOFT, QUESTION, URGENT):
        return f"{gloss} ({lang}: {shown})"
    prefix = {PROBLEM: "problem", PAST: "over", VENT: "venting", PRAISE: "praise",
              THANKS: "praise", RESOLVED: "resolved", OPEN: "still open"}[kind]
    return f"{prefix}: {shown} ({gloss})"


def _negate(cue: _Cue, neg: str) -> _Cue | None:
    """What a cue becomes after a negator: praise turns to venting, "resolved" to an open
    problem; problems, venting and past troubles vanish; the rest stay as they are."""
    if cue.kind == PRAISE:
        return _Cue(VENT, 1.0, "negated praise", f"{neg} … {cue.shown}")
    if cue.kind == RESOLVED:
        return _Cue(PROBLEM, 1.5, "not resolved", f"{neg} … {cue.shown}")
    if cue.kind in (PROBLEM, VENT, PAST):
        return None
    return cue


def _lookup(lex: _Lexicon, tok: str) -> _Cue | None:
    cue = lex.words.get(tok)
    if cue is None and lex.lang in ("es", "pt") and _DOUBLED.search(tok):
        cue = lex.words.get(_DOUBLED.sub(r"\1", tok))  # "graciass", "obrigadoo"
    if cue is None and lex.heads and len(tok) > 7:
        for k in range(2, len(tok) - 4):
            cue = lex.heads.get(tok[k:])
            if cue is not None:
                break
    return cue


# Negators that state something did not happen ("no reconozco", "nicht mit angekommen");
# "sin", "sans", "ohne", "sem" only qualify a noun ("sin coste") and are left out.
_STATING = {
    "es": frozenset(("no", "nunca", "jamas")),
    "fr": frozenset(("pas", "jamais", "rien")),
    "de": frozenset(("nicht", "nie", "niemals", "kein", "keine", "keinen", "keinem", "keiner")),
    "pt": frozenset(("nao", "nunca")),
}


def _scan(lex: _Lexicon, raw: list[str], toks: list[str]) -> tuple[list[_Hit], list[str]]:
    """The cues of a post in order, and the negators that negated no cue (bare negations:
    "no reconozco este cargo" states something wrong that no lexicon entry names)."""
    hits: list[_Hit] = []
    bare: dict[int, str] = {}
    stating = _STATING[lex.lang]
    n, i, clause, clause_start, last_neg, neg_word = len(toks), 0, 0, True, -10, ""
    questions = 0
    while i < n:
        tok = toks[i]
        if tok in _PUNCT:
            if tok in "?¿" and questions < 2:
                questions += 1
                hits.append(_Hit(i, QUESTION, 1.0, "asks a question (?)", clause))
            clause, clause_start, last_neg = clause + 1, True, -10
            i += 1
            continue
        cue: _Cue | None = None
        step = 1
        found = _phrase_at(lex.phrases, toks, i)
        if found is not None:
            cue, step = found[0], found[1] - i
        if cue is None:
            cue = _lookup(lex, tok)
        if cue is not None and cue.kind == SKIP:
            i += step
            continue
        if cue is None and clause_start and (tok in lex.interrogatives or raw[i] in _ACCENTED):
            accented = raw[i] in _ACCENTED
            cue = _Cue(QUESTION, 1.0 if accented else 0.7, "asks a question", raw[i])
        if tok in lex.greetings and clause_start and (cue is None or cue.kind in (PRAISE, VENT)):
            i += 1  # "Liebe Telekom," / "Cher client," : an opener, not a word of the clause
            continue
        if cue is not None and tok not in lex.negators:
            negated = i - last_neg <= 3
            if not negated and lex.lang == "de" and cue.kind in (PRAISE, RESOLVED):
                after = toks[i + step:i + step + 2]  # "gefällt mir nicht"
                cut = next((k for k, t in enumerate(after) if t in _PUNCT), len(after))
                negated = "nicht" in after[:cut]
                neg_word = "nicht" if negated else neg_word
            if negated:
                bare.pop(last_neg, None)
                cue = _negate(cue, neg_word)
        if tok in lex.negators and step == 1:
            last_neg, neg_word = i, raw[i]
            if tok in stating:
                bare[i] = raw[i]
        elif step > 1 and toks[i + step - 1] in lex.negators:
            # A phrase that ends in a negator negates what follows: "immer noch nicht behoben".
            last_neg, neg_word = i + step - 1, raw[i + step - 1]
        if cue is not None:
            hits.append(_Hit(i, cue.kind, cue.weight, _reason(cue, lex.lang), clause))
        clause_start = False
        i += step
    return _thanks_for(hits), list(bare.values())


def _thanks_for(hits: list[_Hit]) -> list[_Hit]:
    """A refund, help or fix named after thanks in the same clause was given, not asked for:
    "merci pour le remboursement rapide", "danke für die schnelle Hilfe"."""
    thanked: set[int] = set()
    out: list[_Hit] = []
    for h in hits:
        if h.kind == THANKS:
            thanked.add(h.clause)
        elif h.kind in (ASK, HELP, HELPME) and h.clause in thanked:
            h = _Hit(h.pos, RESOLVED, 1.5, "resolved: thanks for " + h.reason.split(" (")[0]
                     .removeprefix("asks for ").removeprefix("asks "), h.clause)
        out.append(h)
    return out


def _topic(lex: _Lexicon, raw: list[str], toks: list[str]) -> tuple[str, tuple[str, ...]]:
    found: dict[str, dict[str, None]] = {}
    for i, tok in enumerate(toks):
        topic: str | None = None
        surface = raw[i]
        phrase = _phrase_at(lex.topic_phrases, toks, i)
        if phrase is not None:
            topic, surface = phrase[0], " ".join(raw[i:phrase[1]])
        if topic is None:
            topic = lex.topic_words.get(tok)
        if topic is None and lex.lang == "de" and len(tok) > 6:
            topic = next((lex.topic_words[tok[k:]] for k in range(2, len(tok) - 3)
                          if tok[k:] in lex.topic_words), None)
        if topic is not None:
            found.setdefault(topic, {})[surface] = None
    if not found:
        return "other", ()
    best = max(len(v) for v in found.values())
    topic = min((t for t, v in found.items() if len(v) == best), key=_TIE_ORDER.index)
    return topic, tuple(found[topic])


def _conf(margin: float) -> float:
    """Confidence from the winning side's margin of cue weight: 0.6 for one weak cue (margin
    1), 0.8 for one strong cue (margin 2), up to 0.95 for several that agree; 0.4 at least."""
    return round(min(0.95, 0.4 + 0.55 * (1.0 - math.exp(-(max(0.0, margin) / 1.68) ** 1.5))), 3)


_SHOWN: Mapping[Label, tuple[int, ...]] = MappingProxyType({
    Label.FIX_REQUEST: (ASK, PROBLEM, HELPME, HELP, SOFT, URGENT, QUESTION, VENT),
    Label.VENTING: (VENT, PAST, PROBLEM, QUESTION),
    Label.QUESTION: (QUESTION, HELP, HELPME, SOFT),
    Label.PRAISE: (THANKS, PRAISE, RESOLVED),
    Label.NEUTRAL: (RESOLVED, QUESTION, SOFT),
})


def _weights(hits: list[_Hit]) -> tuple[dict[int, float], bool]:
    """Weight per kind, and whether an open concrete problem is among them. A strong
    resolution closes the problems and asks that came before it ("my order never came ...
    sorted now, thanks"); a weak one ("finally") closes only weak problems."""
    w = dict.fromkeys(range(SKIP), 0.0)
    resolved = [h for h in hits if h.kind == RESOLVED]
    strength = sum(h.weight for h in resolved)
    last = max((h.pos for h in resolved), default=-1)
    # ... and a vague problem word in the clause of a strong resolution is the thing that was
    # resolved ("resolveram meu problema", "Problem in zwei Minuten gelöst").
    settled = {h.clause for h in resolved if h.weight >= 1.5}
    concrete = False
    for h in hits:
        if h.kind in (PROBLEM, ASK) and (
                (h.pos < last and (strength >= 1.5 or h.weight < CONCRETE))
                or (h.kind == PROBLEM and h.weight < CONCRETE and h.clause in settled)):
            continue
        w[h.kind] += h.weight
        concrete = concrete or (h.kind == PROBLEM and h.weight >= CONCRETE)
    return w, concrete


def _decide(w: dict[int, float], concrete: bool) -> tuple[Label, float, str]:
    """The rubric's question, "what does this person need from the brand now?", in order:
    an ask that implies a fault or an open concrete problem -> fix-request; a vaguer problem
    with an ask, a question or "still" -> fix-request; frustration with nothing asked or
    open -> venting; thanks and compliments -> praise; asks with no problem -> question."""
    ask, help_, helpme, soft, problem = w[ASK], w[HELP], w[HELPME], w[SOFT], w[PROBLEM]
    vent, praise, question, still = w[VENT] + w[PAST], w[PRAISE] + w[THANKS], w[QUESTION], w[OPEN]
    asks = ask + help_ + helpme + soft
    lead = "praise beside a problem (sarcasm or mixed)" if praise >= 1 and (ask or problem) else ""
    against = 0.3 * vent + 0.3 * praise
    if ask >= 1.5 or concrete:
        return Label.FIX_REQUEST, _conf(ask + problem + 0.5 * (asks - ask) + 0.3 * question
                                        + 0.3 * still - against), lead
    weak = problem < 1.0  # a negated statement or "still" beside a topic word, nothing more
    if problem and not (weak and (praise >= 1.0 or vent >= 1.0)):
        if asks or question or still or w[URGENT] >= 1.0:
            return Label.FIX_REQUEST, _conf(problem + 0.5 * asks + 0.3 * question + 0.5 * still
                                            + 0.3 * w[URGENT] - against), lead
        if not weak:
            if vent > problem:
                return Label.VENTING, _conf(vent - problem), "frustration, nothing asked"
            return Label.FIX_REQUEST, _conf(problem - against), lead
    if vent and vent >= praise:
        if helpme or help_ >= 1.0 or ask:
            return Label.FIX_REQUEST, _conf(0.5 * (helpme + help_ + ask + vent)), \
                "asks for help, frustrated"
        lead = "rhetorical question, nothing asked" if question else (
            "praise beside venting (sarcasm)" if praise else "")
        return Label.VENTING, _conf(vent - 0.5 * praise - 0.3 * help_), lead
    if praise and praise >= asks:
        if question >= 1.0:
            return Label.QUESTION, _conf(question - 0.3 * praise), "asks, beside praise"
        return Label.PRAISE, _conf(praise + 0.5 * w[RESOLVED] - vent), ""
    if helpme and not question:
        return Label.FIX_REQUEST, _conf(0.6 * helpme + 0.3 * soft), "asks for help"
    if question or help_ or helpme or soft:
        return Label.QUESTION, _conf(question + 0.7 * (help_ + helpme) + 0.5 * soft), \
            "question, no problem stated"
    return Label.NEUTRAL, 0.5 if not any(w.values()) else 0.45, "nothing asked, wrong or praised"


def _negativity(w: dict[int, float], text: str) -> float:
    """A 0..1 stand-in for VADER's negative compound: venting counts most, then problems and
    refund-like asks, praise takes away, and shouting ("!!", words in capitals) adds a
    quarter; raw / (raw + 1) keeps it below 1. Urgency is the priority formula's own term."""
    raw = (0.6 * (w[VENT] + w[PAST]) + 0.35 * w[PROBLEM] + 0.2 * w[ASK]
           - 0.3 * (w[PRAISE] + w[THANKS]))
    if raw <= 0.0:
        return 0.0
    shouting = "!!" in text or sum(
        1 for word in text.split() if len(word) > 3 and word.isupper()) >= 2
    if shouting:
        raw *= 1.25
    return round(raw / (raw + 1.0), 3)


def _emoji_hits(text: str, pos: int) -> list[_Hit]:
    vent = sum(1 for ch in text if ch in _VENT_EMOJI)
    praise = sum(1 for ch in text if ch in _PRAISE_EMOJI)
    hits: list[_Hit] = []
    if vent:
        hits.append(_Hit(pos, VENT, min(2.0, 0.7 * vent), "venting: angry emoji"))
    if praise:
        hits.append(_Hit(pos, PRAISE, min(1.5, 0.5 * praise), "praise: happy emoji"))
    return hits


def _implied(hits: list[_Hit], bare: list[str], topic: str, lang: str, pos: int) -> list[_Hit]:
    """Weak problems no lexicon entry names, inferred beside a topic word: a bare negation
    ("cargo que no reconozco") or "still" ("todavía está en preparación")."""
    if topic == "other" or any(h.kind == PROBLEM for h in hits):
        return []
    if bare:
        return [_Hit(pos, PROBLEM, 0.6, f"problem: {bare[0]} … (a negated statement about "
                     f"{topic}, {lang})")]
    if any(h.kind == OPEN for h in hits):
        return [_Hit(pos, PROBLEM, 0.8, f"problem: still pending ({topic})")]
    return []


def classify_foreign(text: str, language: str) -> ForeignResult:
    """Label, confidence, reasons, topic with evidence, negativity and urgency of a post in
    `language` (one of LANGUAGES, case-insensitive, a region such as "pt-BR" ignored).

    Never raises on any str; ValueError only for a language outside LANGUAGES.
    """
    lang = language.strip().lower().replace("_", "-").split("-")[0] \
        if isinstance(language, str) else ""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; expected one of "
                         f"{', '.join(sorted(LANGUAGES))}")
    lex = _LEXICONS[lang]
    if not isinstance(text, str):  # defensive: callers with untyped data (JSON) slip
        text = str(text)
    text = text[:MAX_CHARS]
    body = straight_quotes(_NOISE.sub(" ", unicodedata.normalize("NFKC", text)).lower())
    raw, toks = [], []
    for t in _TOKEN.findall(body):
        folded = _fold(t, lang)
        folded = lex.aliases.get(folded, folded)
        if folded:
            raw.append(t)
            toks.append(folded)
    hits, bare = _scan(lex, raw, toks)
    hits += _emoji_hits(text, len(toks))
    topic, evidence = _topic(lex, raw, toks)
    hits += _implied(hits, bare, topic, lang, len(toks))
    weights, concrete = _weights(hits)
    label, confidence, lead = _decide(weights, concrete)
    shown = _SHOWN[label]
    ordered = sorted((h for h in hits if h.kind in shown),
                     key=lambda h: (shown.index(h.kind), h.pos))
    reasons = tuple(dict.fromkeys(([lead] if lead else []) + [h.reason for h in ordered]))
    if not reasons:
        reasons = (f"nothing asked, wrong or praised ({lang})",)
    return ForeignResult(
        label=label, confidence=confidence, reasons=reasons[:MAX_REASONS], topic=topic,
        evidence=evidence, negativity=_negativity(weights, text), urgency=weights[URGENT],
    )
