"""Group work: the conversation (messages, replies), documents with versions, proposals with
responses

Revision ID: 0013
Revises: 0015
Create Date: 2026-12-05 16:05:35.982317

"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('group_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version_count', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.Column('result_item_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['member.id'], name=op.f('fk_group_document_deleted_by_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['working_group.id'], name=op.f('fk_group_document_group_id_working_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['result_item_id'], ['item.id'], name=op.f('fk_group_document_result_item_id_item'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['member.id'], name=op.f('fk_group_document_uploaded_by_id_member'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_document'))
    )
    with op.batch_alter_table('group_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_document_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index('ix_group_document_group_updated', ['group_id', 'updated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_document_result_item_id'), ['result_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_document_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    op.create_table('group_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('last_activity_at', sa.DateTime(), nullable=False),
    sa.Column('reply_count', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['member.id'], name=op.f('fk_group_message_author_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['working_group.id'], name=op.f('fk_group_message_group_id_working_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_group_message_item_id_item'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['parent_id'], ['group_message.id'], name=op.f('fk_group_message_parent_id_group_message'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_message'))
    )
    with op.batch_alter_table('group_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_message_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_group_message_parent', ['parent_id', 'created_at'], unique=False)
        batch_op.create_index('ix_group_message_stream', ['group_id', 'parent_id', 'last_activity_at'], unique=False)

    op.create_table('group_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('closes_at', sa.DateTime(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('outcome_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('in_result', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['member.id'], name=op.f('fk_group_proposal_author_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['working_group.id'], name=op.f('fk_group_proposal_group_id_working_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outcome_by_id'], ['member.id'], name=op.f('fk_group_proposal_outcome_by_id_member'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_proposal'))
    )
    with op.batch_alter_table('group_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_proposal_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_group_proposal_group_closes', ['group_id', 'closes_at'], unique=False)

    op.create_table('group_document_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('mime', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['group_document.id'], name=op.f('fk_group_document_version_document_id_group_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['working_group.id'], name=op.f('fk_group_document_version_group_id_working_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['member.id'], name=op.f('fk_group_document_version_uploaded_by_id_member'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_document_version')),
    sa.UniqueConstraint('document_id', 'number', name=op.f('uq_group_document_version_document_id'))
    )
    with op.batch_alter_table('group_document_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_document_version_group_id'), ['group_id'], unique=False)

    op.create_table('group_proposal_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_group_proposal_response_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['group_proposal.id'], name=op.f('fk_group_proposal_response_proposal_id_group_proposal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_proposal_response')),
    sa.UniqueConstraint('proposal_id', 'member_id', name=op.f('uq_group_proposal_response_proposal_id'))
    )
    with op.batch_alter_table('group_proposal_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_proposal_response_member_id'), ['member_id'], unique=False)



def downgrade():
    with op.batch_alter_table('group_proposal_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_proposal_response_member_id'))

    op.drop_table('group_proposal_response')
    with op.batch_alter_table('group_document_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_document_version_group_id'))

    op.drop_table('group_document_version')
    with op.batch_alter_table('group_proposal', schema=None) as batch_op:
        batch_op.drop_index('ix_group_proposal_group_closes')
        batch_op.drop_index(batch_op.f('ix_group_proposal_author_id'))

    op.drop_table('group_proposal')
    with op.batch_alter_table('group_message', schema=None) as batch_op:
        batch_op.drop_index('ix_group_message_stream')
        batch_op.drop_index('ix_group_message_parent')
        batch_op.drop_index(batch_op.f('ix_group_message_author_id'))

    op.drop_table('group_message')
    with op.batch_alter_table('group_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_document_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_group_document_result_item_id'))
        batch_op.drop_index('ix_group_document_group_updated')
        batch_op.drop_index(batch_op.f('ix_group_document_deleted_at'))

    op.drop_table('group_document')
